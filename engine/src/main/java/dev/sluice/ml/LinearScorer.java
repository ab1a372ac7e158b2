package dev.sluice.ml;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

import java.util.List;

/**
 * A binary logistic model over standardized features, as plain numbers:
 * p = sigmoid(intercept + sum_i weights[i] * (coalesce(x_i, imputationMeans[i]) - mean_i) / std_i).
 * This is what gets reported as feature weights and compiled to SQL.
 */
public record LinearScorer(List<String> featureNames, double[] imputationMeans, Standardizer standardizer,
                           double[] weights, double intercept) {

    public LinearScorer {
        featureNames = List.copyOf(featureNames);
        imputationMeans = imputationMeans.clone();
        weights = weights.clone();
    }

    /** Reads the weights out of a Tribuo two-class linear model trained on standardized features. */
    static LinearScorer from(LinearSGDModel model, Standardizer standardizer, double[] imputationMeans) {
        DenseMatrix w = model.getWeightsCopy(); // [classes][features + bias], bias last
        int pos = model.getOutputIDInfo().getID(new Label(Learners.POSITIVE));
        int neg = model.getOutputIDInfo().getID(new Label(Learners.NEGATIVE));
        if (pos < 0 || neg < 0) throw new MlException("the linear model was not trained on both classes");
        ImmutableFeatureMap fm = model.getFeatureIDMap();
        List<String> names = standardizer.featureNames();
        double[] weights = new double[names.size()];
        for (int j = 0; j < weights.length; j++) {
            int id = fm.getID(names.get(j));
            // A feature never seen non-zero in training has no id and so no weight.
            weights[j] = id < 0 ? 0 : w.get(pos, id) - w.get(neg, id);
        }
        int bias = w.getDimension2Size() - 1;
        return new LinearScorer(names, imputationMeans, standardizer, weights, w.get(pos, bias) - w.get(neg, bias));
    }

    @Override
    public double[] imputationMeans() {
        return imputationMeans.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Weight per original unit of each feature: w_i / std_i. */
    public double[] originalUnitWeights() {
        double[] w = new double[weights.length];
        for (int j = 0; j < w.length; j++) w[j] = weights[j] / standardizer.std(j);
        return w;
    }

    /** The intercept when the features are given in original units. */
    public double originalUnitIntercept() {
        double b = intercept;
        for (int j = 0; j < weights.length; j++) b -= weights[j] * standardizer.mean(j) / standardizer.std(j);
        return b;
    }

    /** Probability for raw (unstandardized) feature values; NaN marks a null and is imputed. */
    public double probability(double[] raw) {
        double z = intercept;
        for (int j = 0; j < weights.length; j++) {
            double x = Double.isNaN(raw[j]) ? imputationMeans[j] : raw[j];
            z += weights[j] * (x - standardizer.mean(j)) / standardizer.std(j);
        }
        return sigmoid(z);
    }

    static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
