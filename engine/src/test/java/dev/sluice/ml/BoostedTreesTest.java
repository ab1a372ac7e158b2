package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoostedTreesTest {
    private static final List<String> NAMES = List.of("noise", "signal");

    @Test
    void gainAndLeafWeightFollowTheSecondOrderObjective() {
        // G = -4, H = 4 split into (-4, 2) and (0, 2), lambda 1: 0.5 * (16/3 + 0/3 - 16/5) = 16/15.
        assertEquals(16.0 / 15, BoostedTrees.gain(-4, 2, -4, 4, 1), 1e-15);
        // A split that separates nothing gains nothing.
        assertEquals(0, BoostedTrees.gain(-2, 2, -4, 4, 0), 1e-15);
        assertEquals(0.8, BoostedTrees.leafWeight(-4, 4, 1), 1e-15);
    }

    @Test
    void cutsAreQuantileMidpointsAndBinsCountCutsBelow() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) v[99 - i] = i + 1; // 1..100, unsorted
        assertArrayEquals(new double[] {25.5, 50.5, 75.5}, BoostedTrees.cuts(v, 4));
        // Fewer distinct values than bins: a cut in every gap, however uneven the counts.
        assertArrayEquals(new double[] {0.5, 1.5}, BoostedTrees.cuts(new double[] {0, 0, 0, 0, 0, 0, 1, 2, 2}, 64));
        assertArrayEquals(new double[0], BoostedTrees.cuts(new double[] {3, 3, 3}, 8));
        double[] cuts = {0.5, 1.5};
        assertEquals(0, BoostedTrees.bin(0, cuts));
        assertEquals(0, BoostedTrees.bin(0.5, cuts), "a value equal to a cut goes below it, as 'z > threshold' puts it");
        assertEquals(1, BoostedTrees.bin(1, cuts));
        assertEquals(2, BoostedTrees.bin(7, cuts));
        // Heavy ties: 900 zeros fill the quantile buckets 0..14, so one cut ends them and one more is left for
        // the last bucket (the 938th value onwards); no cut falls inside the run of equal values.
        double[] skew = new double[1000];
        for (int i = 900; i < 1000; i++) skew[i] = i;
        assertArrayEquals(new double[] {450, 937.5}, BoostedTrees.cuts(skew, 16));
    }

    /** Two features: noise, and one whose sign is the label; the split must be on the signal, between -1 and 1. */
    @Test
    void firstSplitIsTheKnownBestOne() {
        Random rnd = new Random(1);
        int n = 200;
        double[][] z = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            z[i] = new double[] {rnd.nextGaussian(), y[i] == 1 ? 1 : -1};
        }
        BoostedTrees.Params p = new BoostedTrees.Params(3, 0.5, 1, 16, 1, 1, 0, 1, 1, 5);
        TreeEnsemble e = new BoostedTrees(p, 7).fit(z, y, range(0, 160), range(160, 200), identity(), new double[2]);
        TreeEnsemble.Tree first = e.trees().get(0);
        assertEquals(3, first.size(), "a stump: root and two leaves");
        assertEquals(1, first.feature(0));
        assertEquals(0.0, first.threshold(0), "midpoint of -1 and 1");
        // Balanced classes: base 0; leaves at -lr * G / (H + lambda) = +-0.5 * 40 / 21.
        assertEquals(0, e.base(), 1e-12);
        assertEquals(0.5 * 40 / 21, first.value(first.greater(0)), 1e-12);
        assertEquals(-0.5 * 40 / 21, first.value(first.lessOrEqual(0)), 1e-12);
        // Three rounds of 0.952, 0.653 and 0.551 on the log-odds scale: P = sigmoid(2.156) = 0.896.
        assertEquals(0.896, e.probability(new double[] {0, 1}), 1e-3);
        assertEquals(1 - 0.896, e.probability(new double[] {0, -1}), 1e-3);
    }

    @Test
    void deterministicAndStopsEarlyOnNoise() {
        Random rnd = new Random(3);
        int n = 2000;
        double[][] z = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            z[i] = new double[] {rnd.nextGaussian(), rnd.nextGaussian()};
            y[i] = rnd.nextInt(2);
        }
        BoostedTrees.Params p = new BoostedTrees.Params(500, 0.3, 4, 32, 1, 1, 0, 0.8, 1, 10);
        TreeEnsemble a = new BoostedTrees(p, 5).fit(z, y, range(0, 1500), range(1500, 2000), identity(), new double[2]);
        TreeEnsemble b = new BoostedTrees(p, 5).fit(z, y, range(0, 1500), range(1500, 2000), identity(), new double[2]);
        assertEquals(a.trees(), b.trees());
        assertTrue(a.trees().size() < 50, "labels are noise, so the held-out loss stops improving early: " + a.trees().size());
        TreeEnsemble c = new BoostedTrees(p, 6).fit(z, y, range(0, 1500), range(1500, 2000), identity(), new double[2]);
        assertTrue(!c.trees().equals(a.trees()) || c.trees().size() == 1, "another seed samples other rows");
    }

    /**
     * What boosting knows of its training and early-stopping rows' scores is what scoring them with the kept trees
     * gives, to the bit (a row's leaf found by its bins is the one its values reach); the rows boosting did not
     * follow are left to scoring, and completing them gives every row's score as scoring all of them does.
     */
    @Test
    void boostingsOwnScoresEqualScoringToTheBit() {
        Random rnd = new Random(11);
        int n = 3000;
        double[][] z = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double signal = rnd.nextGaussian();
            z[i] = new double[] {rnd.nextGaussian(), signal};
            y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-2 * signal)) ? 1 : 0;
        }
        // Rows 2500.. are neither training nor early-stopping rows (the churn trainer's validation and test rows).
        BoostedTrees.Params p = new BoostedTrees.Params(300, 0.1, 4, 64, 1, 1, 0, 0.8, 1, 10);
        BoostedTrees.Fitted f = new BoostedTrees(p, 9).fitScoring(z, y, range(0, 2000), range(2000, 2500), identity(), new double[2]);
        assertTrue(f.ensemble().trees().size() > 5, "the signal is learnt over several rounds: " + f.ensemble().trees().size());
        double[] scored = f.ensemble().standardizedProbabilities(z);
        for (int i = 0; i < n; i++) {
            if (i < 2500) assertEquals(Double.doubleToLongBits(scored[i]), Double.doubleToLongBits(f.probabilities()[i]), "row " + i);
            else assertTrue(Double.isNaN(f.probabilities()[i]), "row " + i + " was not boosted on");
        }
        assertArrayEquals(scored, f.ensemble().standardizedProbabilities(z, f.probabilities()));
        assertEquals(f.ensemble().trees(), new BoostedTrees(p, 9).fit(z, y, range(0, 2000), range(2000, 2500), identity(), new double[2]).trees());
    }

    @Test
    void rejectsUnusableSettings() {
        assertThrows(MlException.class, () -> new BoostedTrees.Params(10, 0.1, 3, 300, 1, 1, 0, 1, 1, 5));
        assertThrows(MlException.class, () -> new BoostedTrees.Params(10, 0, 3, 64, 1, 1, 0, 1, 1, 5));
        assertThrows(MlException.class, () -> new BoostedTrees.Params(10, 0.1, 3, 64, 1, 1, 0, 0, 1, 5));
    }

    private static Standardizer identity() {
        return new Standardizer(NAMES, new double[2], new double[] {1, 1});
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
