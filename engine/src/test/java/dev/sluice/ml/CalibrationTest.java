package dev.sluice.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Platt scaling and the choice of a decision threshold, each checked against an independent computation. */
class CalibrationTest {

    @Test
    void plattScalingRecoversAKnownLogisticRelation() {
        Random r = new Random(3);
        int n = 20_000;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextDouble();
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(4 * s[i] - 2.5))) ? 1 : 0;
        }
        Calibration c = Calibration.fit(s, y);
        assertEquals(4.0, c.a(), 0.3, c.toString());
        assertEquals(-2.5, c.b(), 0.2, c.toString());
        // Monotone: the ranking, and so the AUC, is unchanged.
        assertEquals(Metrics.auc(s, y), Metrics.auc(c.apply(s), y), 1e-12);
    }

    @Test
    void calibratedChurnProbabilitiesMatchObservedRatesOnTestRows() {
        FeatureFrame f = ChurnTrainerTest.frame(6000, 21);
        ChurnResult r = new ChurnTrainer().train(f);
        int[] test = r.split().test();
        // Expected calibration error over ten equal-width bins of the calibrated probability.
        double[] sum = new double[10];
        double[] hits = new double[10];
        int[] count = new int[10];
        for (int i : test) {
            double p = ((Number) r.predictions().get(i, "churn_probability")).doubleValue();
            int b = Math.min(9, (int) (p * 10));
            sum[b] += p;
            hits[b] += f.label(i);
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < 10; b++) if (count[b] > 0) ece += Math.abs(sum[b] - hits[b]) / test.length;
        assertTrue(ece < 0.05, "expected calibration error " + ece);
    }

    @Test
    void f1ThresholdIsTheBestOfEveryCandidate() {
        Random r = new Random(11);
        int n = 500;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.15 ? 1 : 0;
            p[i] = Math.round(Math.min(1, Math.max(0, 0.3 * y[i] + 0.25 * r.nextGaussian() + 0.2)) * 100) / 100.0;
        }
        DecisionThreshold chosen = DecisionThreshold.choose(p, y, new DecisionThreshold.Economics(0, 0));
        assertEquals("f1", chosen.objective());
        double bestF1 = -1;
        double bestT = Double.NaN;
        for (double t : java.util.Arrays.stream(p).distinct().sorted().toArray()) {
            Metrics.Confusion c = Metrics.Confusion.at(p, y, t);
            double f1 = c.precision() + c.recall() == 0 ? 0 : 2 * c.precision() * c.recall() / (c.precision() + c.recall());
            if (f1 >= bestF1) {
                bestF1 = f1;
                bestT = t;
            }
        }
        assertEquals(bestF1, chosen.objectiveValue(), 1e-12);
        assertEquals(bestT, chosen.threshold());
    }

    @Test
    void expectedValueThresholdRisesWithTheCostOfContact() {
        Random r = new Random(5);
        int n = 1000;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextDouble();
            y[i] = r.nextDouble() < p[i] ? 1 : 0;
        }
        DecisionThreshold cheap = DecisionThreshold.choose(p, y, new DecisionThreshold.Economics(1, 10));
        DecisionThreshold dear = DecisionThreshold.choose(p, y, new DecisionThreshold.Economics(6, 10));
        assertEquals("expected_value", cheap.objective());
        assertTrue(dear.threshold() > cheap.threshold(), cheap + " vs " + dear);
        // Contacting at p pays when value * p > cost, so the thresholds sit near cost / value.
        assertEquals(0.1, cheap.threshold(), 0.1);
        assertEquals(0.6, dear.threshold(), 0.1);
        // The value at the chosen threshold, recomputed directly, is the best over all thresholds.
        for (double t : p) {
            long contacts = java.util.Arrays.stream(p).filter(v -> v >= t).count();
            long saved = 0;
            for (int i = 0; i < n; i++) if (p[i] >= t) saved += y[i];
            assertTrue(10.0 * saved - 6.0 * contacts <= dear.objectiveValue() + 1e-9);
        }
    }
}
