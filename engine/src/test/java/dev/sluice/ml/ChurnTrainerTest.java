package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChurnTrainerTest {
    static final List<String> FEATURES_LIST = List.of("recent_spend", "orders_90d", "days_since_last_order", "tenure_months");

    static FeatureFrame frame(int n, long seed) {
        return FeatureFrame.fromRows(Synthetic.churn(n, seed), "customer_id", FEATURES_LIST, "churned");
    }

    @Test
    void learnsChurnAndReportsEverything() {
        FeatureFrame f = frame(2000, 7);
        ChurnResult r = new ChurnTrainer().train(f);
        System.out.println(r.metrics() + " best=" + r.bestModel() + " " + r.modelVersion());
        assertTrue(r.metric(ChurnTrainer.LOGISTIC, "auc") > 0.8, "logistic AUC");
        assertTrue(r.metric(ChurnTrainer.FOREST, "auc") > 0.8, "forest AUC");
        assertTrue(r.metric(ChurnTrainer.BOOSTED, "auc") > 0.8, "boosted trees AUC");
        assertEquals(2000, r.predictions().size());
        assertEquals(List.of("id", "churn_probability", "label", "model_version"), r.predictions().columns());
        // Ten metrics per model, on the test rows at each model's own threshold.
        assertEquals(30, r.metricsTable().size());
        // The chosen model has the highest validation AUC.
        for (String m : ChurnTrainer.MODELS) {
            assertTrue(r.metric(r.bestModel(), "validation_auc") >= r.metric(m, "validation_auc"), m + " beat " + r.bestModel());
        }
        double t = r.threshold().threshold();
        assertEquals(t, r.metric(r.bestModel(), "threshold"));
        assertTrue(t > 0 && t < 1, "threshold " + t);
        for (int i = 0; i < r.predictions().size(); i++) {
            double p = ((Number) r.predictions().get(i, "churn_probability")).doubleValue();
            assertEquals(p >= t ? 1L : 0L, r.predictions().get(i, "label"), "row " + i);
        }
        // Low spend raises churn, so its coefficient is negative; recency's is positive.
        double[] w = r.linear().weights();
        assertTrue(w[0] < 0 && w[1] < 0 && w[2] > 0, java.util.Arrays.toString(w));
        assertEquals(r.modelVersion(), r.predictions().get(0, "model_version"));
        assertEquals(12, r.modelVersion().length());
    }

    @Test
    void linearScorerMatchesTribuo() {
        FeatureFrame f = frame(600, 3);
        ChurnResult r = new ChurnTrainer().train(f);
        double[][] z = r.linear().standardizer().apply(f);
        double[] tribuo = Learners.positiveProbability(r.logisticModel(), f.featureNames().toArray(String[]::new), z);
        for (int i = 0; i < f.rows(); i++) assertEquals(tribuo[i], r.linear().probability(f.row(i)), 1e-9);
        // Original-unit weights give the same score as standardized ones.
        double[] x = f.row(5);
        double s = r.linear().originalUnitIntercept();
        double[] wo = r.linear().originalUnitWeights();
        for (int j = 0; j < x.length; j++) s += wo[j] * x[j];
        assertEquals(r.linear().probability(x), LinearScorer.sigmoid(s), 1e-9);
    }

    @Test
    void aChosenTribuoModelScoresEveryRowAsAtOnce() {
        // Tribuo's models score the held-out rows first and the training rows only once chosen: the predictions
        // must be what scoring every row in one call and calibrating gives, to the bit.
        FeatureFrame f = frame(900, 5);
        for (String model : List.of(ChurnTrainer.LOGISTIC, ChurnTrainer.FOREST)) {
            ChurnResult r = new ChurnTrainer(ChurnTrainer.Config.defaults().withModels(List.of(model))).train(f);
            assertEquals(model, r.bestModel());
            double[][] z = r.linear().standardizer().apply(f);
            double[] all = r.calibration().apply(Learners.positiveProbability(r.chosen(), f.featureNames().toArray(String[]::new), z));
            for (int i = 0; i < f.rows(); i++) {
                assertEquals(Double.doubleToRawLongBits(all[i]),
                        Double.doubleToRawLongBits(((Number) r.predictions().get(i, "churn_probability")).doubleValue()), model + " row " + i);
            }
        }
    }

    @Test
    void sameSeedSameOutputs() {
        ChurnResult a = new ChurnTrainer().train(frame(800, 11));
        ChurnResult b = new ChurnTrainer().train(frame(800, 11));
        assertEquals(a.modelVersion(), b.modelVersion());
        assertEquals(a.predictions(), b.predictions());
        assertEquals(a.metricsTable(), b.metricsTable());
        ChurnResult c = new ChurnTrainer(ChurnTrainer.Config.defaults().withSeed(99)).train(frame(800, 11));
        assertTrue(!c.modelVersion().equals(a.modelVersion()));
    }

    @Test
    void stratifiedSplitKeepsClassShares() {
        int[] y = new int[1000];
        for (int i = 0; i < 200; i++) y[i] = 1;
        ChurnTrainer.Split s = ChurnTrainer.Split.stratified(y, 0.25, 1);
        assertEquals(250, s.test().length);
        assertEquals(50, java.util.Arrays.stream(s.test()).filter(i -> y[i] == 1).count());
    }
}
