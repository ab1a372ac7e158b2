package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void aucByHand() {
        // Positives 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ordered correctly.
        assertEquals(0.75, Metrics.auc(new double[]{0.1, 0.4, 0.35, 0.8}, new int[]{0, 0, 1, 1}), 1e-12);
        // Positives 0.5, 0.9 vs negatives 0.5, 0.2: one tie counts half, so 3.5 of 4.
        assertEquals(0.875, Metrics.auc(new double[]{0.5, 0.5, 0.2, 0.9}, new int[]{1, 0, 0, 1}), 1e-12);
        assertEquals(1.0, Metrics.auc(new double[]{0.1, 0.2, 0.3}, new int[]{0, 1, 1}), 1e-12);
        assertTrue(Double.isNaN(Metrics.auc(new double[]{0.1, 0.2}, new int[]{1, 1})));
    }

    @Test
    void confusionByHand() {
        Metrics.Confusion c = Metrics.Confusion.at(new double[]{0.9, 0.6, 0.4, 0.2, 0.7}, new int[]{1, 0, 1, 0, 1}, 0.5);
        assertEquals(new Metrics.Confusion(2, 1, 1, 1), c);
        assertEquals(2.0 / 3, c.precision(), 1e-12);
        assertEquals(2.0 / 3, c.recall(), 1e-12);
        assertEquals(0.6, c.accuracy(), 1e-12);
    }

    @Test
    void adjustedRandIndex() {
        assertEquals(1.0, Metrics.adjustedRandIndex(new int[]{0, 0, 1, 1, 2}, new int[]{5, 5, 3, 3, 9}), 1e-12);
        // Worked example: contingency [[2,1],[0,2]] over 5 points.
        // index = C(2,2)+C(2,2) = 2; rows C(3,2)+C(2,2) = 4; cols C(2,2)+C(3,2) = 4; expected 16/10; max 4.
        assertEquals((2 - 1.6) / (4 - 1.6), Metrics.adjustedRandIndex(new int[]{0, 0, 0, 1, 1}, new int[]{0, 0, 1, 1, 1}), 1e-12);
    }

    @Test
    void silhouetteByHand() {
        // Two tight pairs far apart: a = 1, b = mean distance to the other pair.
        double[][] p = {{0}, {1}, {10}, {11}};
        int[] c = {0, 0, 1, 1};
        double s0 = (10.5 - 1) / 10.5; // point 0: distances 10 and 11
        double s1 = (9.5 - 1) / 9.5;   // point 1: distances 9 and 10
        assertEquals((s0 + s1) * 2 / 4, Metrics.silhouette(p, c, 2), 1e-12);
    }

    /**
     * Several clusterings scored together equal, to the bit, each row's silhouette summed on its own: its distances to
     * every other row in index order, the rows' scores added in row order. Includes a cluster of one and an empty one.
     */
    @Test
    void silhouettesEqualEachRowSummedAlone() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int n = 613;
        double[][] p = new double[n][5];
        for (double[] row : p) for (int j = 0; j < row.length; j++) row[j] = r.nextGaussian() * (j + 1);
        int[] ks = {2, 5, 7};
        int[][] clusterings = new int[ks.length][n];
        for (int m = 0; m < ks.length; m++) for (int i = 0; i < n; i++) clusterings[m][i] = r.nextInt(ks[m] - 1);
        clusterings[2][17] = 6; // alone in its cluster; cluster 5 of the third clustering stays empty
        double[] together = Metrics.silhouettes(p, clusterings, ks);
        for (int m = 0; m < ks.length; m++) {
            double expected = naiveSilhouette(p, clusterings[m], ks[m]);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(together[m]), "clustering " + m);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(Metrics.silhouette(p, clusterings[m], ks[m])));
        }
    }

    private static double naiveSilhouette(double[][] p, int[] cluster, int k) {
        int n = p.length;
        int[] sizes = new int[k];
        for (int c : cluster) sizes[c]++;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sums = new double[k];
            for (int j = 0; j < n; j++) if (j != i) sums[cluster[j]] += Math.sqrt(Metrics.squaredDistance(p[i], p[j]));
            double s = 0;
            int own = cluster[i];
            if (sizes[own] > 1) {
                double a = sums[own] / (sizes[own] - 1);
                double b = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) if (c != own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
                if (!Double.isInfinite(b)) {
                    double mx = Math.max(a, b);
                    s = mx == 0 ? 0 : (b - a) / mx;
                }
            }
            total += s;
        }
        return total / n;
    }
}
