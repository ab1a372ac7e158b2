package dev.sluice.ml;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Evaluation measures, computed exactly rather than by sampling or binning. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Area under the ROC curve via the Mann-Whitney rank sum: the chance a random positive scores above a
     * random negative, ties counting half. NaN when one class is absent.
     */
    public static double auc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double avgRank = (i + j) / 2.0 + 1; // ranks are 1-based; tied scores share their mean rank
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Precision, recall and accuracy of "score >= threshold means positive". */
    public record Confusion(long tp, long fp, long tn, long fn) {
        public static Confusion at(double[] scores, int[] labels, double threshold) {
            long tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < scores.length; i++) {
                boolean predicted = scores[i] >= threshold;
                if (predicted && labels[i] == 1) tp++;
                else if (predicted) fp++;
                else if (labels[i] == 1) fn++;
                else tn++;
            }
            return new Confusion(tp, fp, tn, fn);
        }

        /** 0 when nothing was predicted positive, as there is no false positive to count against it. */
        public double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        public double accuracy() {
            long n = tp + fp + tn + fn;
            return n == 0 ? Double.NaN : (double) (tp + tn) / n;
        }
    }

    /** Index of the centroid nearest to z (first one on ties). */
    public static int nearest(double[] z, double[][] centroids) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double d = squaredDistance(z, centroids[c]);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }

    /**
     * Mean silhouette (Euclidean) of a clustering, in [-1, 1]; a point alone in its cluster scores 0.
     * O(n^2 d); see {@link #silhouettes}.
     */
    public static double silhouette(double[][] points, int[] cluster, int k) {
        return silhouettes(points, new int[][] {cluster}, new int[] {k})[0];
    }

    /**
     * {@link #silhouette} of several clusterings of the same points (clusterings[m] with ks[m] clusters): each
     * pair's distance is computed once, for both of its rows and all clusterings. Rows are visited in index order
     * and each row's pairs with the later rows are added to both rows' sums, so every row's sum of distances to a
     * cluster still takes the other rows in index order (the earlier ones arrived while they were visited) and the
     * result is that of summing each row's distances on its own. One thread: half the distances of scoring each
     * row alone on two (d(i, j) equals d(j, i) to the bit), in about the same time.
     */
    public static double[] silhouettes(double[][] points, int[][] clusterings, int[] ks) {
        int n = points.length;
        int models = clusterings.length;
        if (ks.length != models) throw new IllegalArgumentException("one k per clustering");
        double[] out = new double[models];
        if (n < 2) return out;
        int width = 0;
        for (int k : ks) width = Math.max(width, k);
        int stride = width;
        // Row j's cluster under each clustering side by side, and each clustering's cluster sizes.
        int[] cells = new int[n * models];
        int[][] sizes = new int[models][];
        for (int m = 0; m < models; m++) {
            sizes[m] = new int[ks[m]];
            for (int j = 0; j < n; j++) {
                int c = clusterings[m][j];
                sizes[m][c]++;
                cells[j * models + m] = m * stride + c;
            }
        }
        int cell = models * stride;
        double[] sums = new double[n * cell];
        for (int i = 0; i < n; i++) addPairs(points, cells, models, cell, sums, i);
        for (int m = 0; m < models; m++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += rowSilhouette(sums, i * cell + m * stride, sizes[m], clusterings[m][i]);
            out[m] = total / n;
        }
        return out;
    }

    /** Row i's distances to each later row j, added to i's sums by j's clusters and to j's by i's. */
    private static void addPairs(double[][] points, int[] cells, int models, int cell, double[] sums, int i) {
        double[] p = points[i];
        int atI = i * models;
        int rowI = i * cell;
        for (int j = i + 1; j < points.length; j++) {
            double d = Math.sqrt(squaredDistance(p, points[j]));
            int atJ = j * models;
            int rowJ = j * cell;
            for (int m = 0; m < models; m++) {
                sums[rowI + cells[atJ + m]] += d;
                sums[rowJ + cells[atI + m]] += d;
            }
        }
    }

    /** One row's silhouette from its summed distances to each cluster (sums[offset + c]); 0 when it is alone. */
    private static double rowSilhouette(double[] sums, int offset, int[] sizes, int own) {
        if (sizes[own] <= 1) return 0;
        double a = sums[offset + own] / (sizes[own] - 1);
        double b = Double.POSITIVE_INFINITY;
        for (int c = 0; c < sizes.length; c++) if (c != own && sizes[c] > 0) b = Math.min(b, sums[offset + c] / sizes[c]);
        if (Double.isInfinite(b)) return 0;
        double m = Math.max(a, b);
        return m == 0 ? 0 : (b - a) / m;
    }

    /** Adjusted Rand index between two labelings of the same points: 1 identical, about 0 random. */
    public static double adjustedRandIndex(int[] a, int[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("labelings differ in length");
        Map<Long, Long> joint = new HashMap<>();
        Map<Integer, Long> rowsA = new HashMap<>();
        Map<Integer, Long> rowsB = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            joint.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1L, Long::sum);
            rowsA.merge(a[i], 1L, Long::sum);
            rowsB.merge(b[i], 1L, Long::sum);
        }
        double index = joint.values().stream().mapToDouble(Metrics::pairs).sum();
        double sumA = rowsA.values().stream().mapToDouble(Metrics::pairs).sum();
        double sumB = rowsB.values().stream().mapToDouble(Metrics::pairs).sum();
        double expected = sumA * sumB / pairs(a.length);
        double max = (sumA + sumB) / 2;
        if (max == expected) return 1.0; // both labelings trivial (one cluster, or all singletons)
        return (index - expected) / (max - expected);
    }

    private static double pairs(long n) {
        return n * (n - 1) / 2.0;
    }
}
