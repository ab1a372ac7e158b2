package dev.sluice.ml;

import java.util.Arrays;

/**
 * Population stability index between the feature values a model trained on and those it scores: bins are the
 * training values' deciles, PSI = sum over bins of (scored share - training share) * ln(scored share / training
 * share). Below 0.1 is usually read as stable, above 0.25 as a shift large enough to distrust the scores.
 */
public final class Drift {
    /** Share given to an empty bin, so the logarithm stays finite. */
    private static final double FLOOR = 1e-4;

    private Drift() {
    }

    public static double psi(double[] training, double[] scored, int bins) {
        if (training.length == 0 || scored.length == 0) throw new MlException("drift needs rows on both sides");
        double[] edges = edges(training, bins);
        double[] e = shares(training, edges);
        double[] a = shares(scored, edges);
        double psi = 0;
        for (int b = 0; b < e.length; b++) {
            double eb = Math.max(e[b], FLOOR);
            double ab = Math.max(a[b], FLOOR);
            psi += (ab - eb) * Math.log(ab / eb);
        }
        return psi;
    }

    /** Inner bin edges at the training quantiles, duplicates removed (a feature with few values has fewer bins). */
    static double[] edges(double[] training, int bins) {
        double[] sorted = training.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        for (int k = 1; k < bins; k++) edges[k - 1] = sorted[(int) Math.floor((double) k * sorted.length / bins)];
        return Arrays.stream(edges).distinct().toArray();
    }

    /** Shares of values per bin: bin b holds values v with edges[b-1] <= v < edges[b]. */
    static double[] shares(double[] values, double[] edges) {
        double[] counts = new double[edges.length + 1];
        for (double v : values) {
            int pos = Arrays.binarySearch(edges, v);
            int bin = pos >= 0 ? pos + 1 : -pos - 1;
            counts[bin]++;
        }
        for (int b = 0; b < counts.length; b++) counts[b] /= values.length;
        return counts;
    }

    /** One feature's values from a frame (imputed values included, as the model sees them). */
    public static double[] column(FeatureFrame frame, int feature) {
        double[] out = new double[frame.rows()];
        for (int i = 0; i < out.length; i++) out[i] = frame.value(i, feature);
        return out;
    }
}
