package dev.sluice.ml;

import java.util.List;

/**
 * z-score scaling, z = (x - mean) / std, with the constants kept so a model learnt on z can be mapped back
 * to original units or compiled to SQL. A constant column gets std 1, so its z is 0 rather than NaN.
 */
public record Standardizer(List<String> featureNames, double[] means, double[] stds) {

    public Standardizer {
        featureNames = List.copyOf(featureNames);
        means = means.clone();
        stds = stds.clone();
        if (means.length != featureNames.size() || stds.length != featureNames.size()) {
            throw new IllegalArgumentException("one mean and one std per feature");
        }
    }

    /** Fits on every row of the frame. */
    public static Standardizer fit(FeatureFrame frame) {
        int[] all = new int[frame.rows()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return fit(frame, all);
    }

    /** Fits on the given rows only, e.g. the training split, so held-out rows do not leak into the scaling. */
    public static Standardizer fit(FeatureFrame frame, int[] rows) {
        int d = frame.width();
        double[] mean = new double[d];
        double[] m2 = new double[d];
        int n = 0;
        // Welford's update: stable for large sums of similar values (e.g. revenue in the millions).
        for (int r : rows) {
            n++;
            for (int j = 0; j < d; j++) {
                double x = frame.value(r, j);
                double delta = x - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x - mean[j]);
            }
        }
        if (n == 0) throw new MlException("cannot standardize zero rows");
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(m2[j] / n);
            std[j] = s > 1e-12 ? s : 1.0;
        }
        return new Standardizer(frame.featureNames(), mean, std);
    }

    @Override
    public double[] means() {
        return means.clone();
    }

    @Override
    public double[] stds() {
        return stds.clone();
    }

    public double mean(int feature) {
        return means[feature];
    }

    public double std(int feature) {
        return stds[feature];
    }

    public double[] apply(double[] raw) {
        double[] z = new double[raw.length];
        for (int j = 0; j < raw.length; j++) z[j] = (raw[j] - means[j]) / stds[j];
        return z;
    }

    public double[] invert(double[] z) {
        double[] raw = new double[z.length];
        for (int j = 0; j < z.length; j++) raw[j] = z[j] * stds[j] + means[j];
        return raw;
    }

    /** Every row of the frame, standardized. */
    public double[][] apply(FeatureFrame frame) {
        double[][] out = new double[frame.rows()][];
        for (int i = 0; i < out.length; i++) out[i] = apply(frame.row(i));
        return out;
    }
}
