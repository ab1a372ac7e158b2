package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The ML checks as data tests (ml_min_auc, ml_max_drift, ml_min_rows) on tables shaped as churn_classifier
 * writes them: they read the chosen model's rows only, and fail the build like any test.
 */
class MlChecksTest extends ProjectTest {

    @Test
    void checksReadTheChosenModelAndFailTheBuild() {
        CliHarness p = copy("ml_checks");
        CliHarness.Result r = p.run("build");
        // The chosen model (logistic) has AUC 0.91 >= 0.9: pass, though the other model's 0.62 would not.
        assertTrue(r.out().matches("(?s).*PASS ml_min_auc_churn_metrics_0_9 .*"), r.all());
        // Its visits feature drifted (0.31 > 0.25): one failing row; the unchosen forest's 0.9 is not counted.
        assertTrue(r.out().matches("(?s).*FAIL 1 ml_max_drift_churn_metrics_0_25 .*"), r.all());
        assertTrue(r.out().matches("(?s).*PASS ml_min_rows_churn_predictions_3 .*"), r.all());
        assertEquals(1, r.exitCode(), r.all());

        p.write("models/schema.yml", p.read("models/schema.yml").replace("min_auc: 0.9", "min_auc: 0.95")
                .replace("max_psi: 0.25", "max_psi: 0.5").replace("min_rows: 3", "min_rows: 4"));
        r = p.run("build");
        assertTrue(r.out().matches("(?s).*FAIL 1 ml_min_auc_churn_metrics_0_95 .*"), r.all());
        assertTrue(r.out().matches("(?s).*PASS ml_max_drift_churn_metrics_0_5 .*"), r.all());
        assertTrue(r.out().matches("(?s).*FAIL 1 ml_min_rows_churn_predictions_4 .*"), r.all());
        assertEquals(1, r.exitCode(), r.all());
    }
}
