package dev.sluice.ml;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.Map;

/**
 * What {@link ChurnTrainer} produces.
 *
 * @param bestModel    {@link ChurnTrainer#LOGISTIC} or {@link ChurnTrainer#FOREST}, whichever had the higher test AUC
 * @param modelVersion short hash of the chosen model's trainer provenance, the data and the configuration
 * @param linear       the logistic regression as numbers, for weights and SQL scoring
 * @param predictions  id, churn_probability, label (predicted, at 0.5), model_version: every row, best model
 * @param metricsTable model, metric, value: auc, precision, recall, accuracy (at 0.5) and test_rows per model
 * @param parameters   model, feature, weight, original_unit_weight: logistic coefficients on standardized
 *                     features and per original unit (with an "(intercept)" row); forest feature importances
 * @param metrics      the same metrics as a map: model to metric to value
 */
public record ChurnResult(String bestModel, String modelVersion, LinearSGDModel logisticModel, Model<Label> forestModel,
                          LinearScorer linear, ChurnTrainer.Split split, ResultTable predictions,
                          ResultTable metricsTable, ResultTable parameters, Map<String, Map<String, Double>> metrics) {

    /** The Tribuo model that scored the predictions. */
    public Model<Label> chosen() {
        return ChurnTrainer.FOREST.equals(bestModel) ? forestModel : logisticModel;
    }

    public double metric(String model, String metric) {
        return metrics.get(model).get(metric);
    }
}
