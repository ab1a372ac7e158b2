package dev.sluice.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftTest {

    @Test
    void psiOfAHandMadeShiftMatchesTheFormula() {
        // Training 0..9 in two bins split at the median 5; scored values put 80% in the upper bin.
        double[] training = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] scored = {1, 6, 7, 8, 9};
        assertArrayEquals(new double[] {5}, Drift.edges(training, 2));
        assertArrayEquals(new double[] {0.2, 0.8}, Drift.shares(scored, new double[] {5}), 1e-12);
        double expected = (0.2 - 0.5) * Math.log(0.2 / 0.5) + (0.8 - 0.5) * Math.log(0.8 / 0.5);
        assertEquals(expected, Drift.psi(training, scored, 2), 1e-12);
    }

    @Test
    void stableSamplesHaveSmallPsiAndShiftedOnesLarge() {
        Random r = new Random(9);
        double[] a = new double[20_000];
        double[] b = new double[20_000];
        double[] c = new double[20_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
            c[i] = r.nextGaussian() + 1;
        }
        assertTrue(Drift.psi(a, b, 10) < 0.01, "same distribution: " + Drift.psi(a, b, 10));
        assertTrue(Drift.psi(a, c, 10) > 0.25, "a shift of one standard deviation: " + Drift.psi(a, c, 10));
    }

    @Test
    void aFeatureWithFewValuesGetsFewerBins() {
        double[] training = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        assertArrayEquals(new double[] {0, 1}, Drift.edges(training, 10));
        assertEquals(0, Drift.psi(training, training.clone(), 10), 1e-12);
    }
}
