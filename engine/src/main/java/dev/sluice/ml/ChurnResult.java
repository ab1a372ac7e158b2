package dev.sluice.ml;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.Map;

/**
 * What {@link ChurnTrainer} produces.
 *
 * @param bestModel    {@link ChurnTrainer#LOGISTIC}, {@link ChurnTrainer#FOREST} or {@link ChurnTrainer#BOOSTED}, whichever
 *                     trained candidate had the highest validation AUC
 * @param forestModel  the random forest, null when not a candidate
 * @param boostedModel the boosted trees, null when not a candidate
 * @param modelVersion short hash of the chosen model's trainer provenance, the data and the configuration
 * @param linear       the logistic regression as numbers, for weights and SQL scoring
 * @param calibration  the chosen model's Platt scaling, fitted on the validation rows
 * @param threshold    the chosen model's decision threshold on calibrated probabilities, chosen on validation rows
 * @param predictions  id, churn_probability (calibrated), label (at the threshold), model_version: every row
 * @param metricsTable model, metric, value per model on the test rows at its own threshold: auc, precision, recall,
 *                     accuracy, f1, threshold, validation_auc, calibration_a, calibration_b, test_rows
 * @param parameters   model, feature, weight, original_unit_weight: logistic coefficients on standardized
 *                     features and per original unit (with an "(intercept)" row); forest feature importances
 * @param metrics      the same metrics as a map: model to metric to value
 */
public record ChurnResult(String bestModel, String modelVersion, LinearSGDModel logisticModel, Model<Label> forestModel,
                          TreeEnsemble boostedModel,
                          LinearScorer linear, ChurnTrainer.Split split, Calibration calibration, DecisionThreshold threshold,
                          ResultTable predictions,
                          ResultTable metricsTable, ResultTable parameters, Map<String, Map<String, Double>> metrics) {

    /** The Tribuo model that scored the predictions; the boosted trees are not one (see {@link #boostedModel}). */
    public Model<Label> chosen() {
        return switch (bestModel) {
            case ChurnTrainer.FOREST -> forestModel;
            case ChurnTrainer.LOGISTIC -> logisticModel;
            default -> throw new MlException("the chosen model " + bestModel + " is not a Tribuo model");
        };
    }

    /** The forest as plain trees over the same standardized features, for scoring in SQL. */
    public TreeEnsemble forest() {
        if (forestModel == null) throw new MlException("no random forest was trained");
        return TreeEnsemble.from(forestModel, linear.standardizer(), linear.imputationMeans());
    }

    /** The chosen model's uncalibrated P(churn) of every row of a frame. */
    public double[] rawScores(FeatureFrame frame) {
        double[][] z = linear.standardizer().apply(frame);
        if (ChurnTrainer.BOOSTED.equals(bestModel)) return boostedModel.standardizedProbabilities(z);
        return Learners.positiveProbability(chosen(), frame.featureNames().toArray(String[]::new), z);
    }

    /** Scores every row of a frame with the chosen model, e.g. all customers when training used a sample. */
    public ResultTable score(FeatureFrame frame) {
        double[] p = calibration.apply(rawScores(frame));
        double t = threshold.threshold();
        java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>(frame.rows());
        for (int i = 0; i < frame.rows(); i++) rows.add(java.util.List.of(frame.id(i), p[i], p[i] >= t ? 1L : 0L, modelVersion));
        return new ResultTable(predictions.columns(), predictions.types(), rows);
    }

    public double metric(String model, String metric) {
        return metrics.get(model).get(metric);
    }
}
