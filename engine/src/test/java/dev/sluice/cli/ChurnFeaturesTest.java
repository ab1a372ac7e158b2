package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The churn model's training features see nothing after their cutoff: with every transaction after it deleted,
 * churn_features gives the same features for every customer, and only the label (which is read after the
 * cutoff) changes. A feature that leaked the outcome would change with it.
 */
class ChurnFeaturesTest extends ProjectTest {
    /** The sample project's end_date less churn_window_days (project.yml). */
    private static final String CUTOFF = "date '2025-06-30' - 90";

    @Test
    void trainingFeaturesReadNothingAfterTheCutoff() throws Exception {
        CliHarness p = CliHarness.copyOf(java.nio.file.Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
        CliHarness.Result built = p.run("build", "-s", "+churn_features", "--vars", RetailProjectTest.SIZE,
                "--indirect-selection", "buildable");
        assertEquals(0, built.exitCode(), built.all());
        String features = "select * exclude (churned) from main_gold.churn_features order by customer_id";
        List<Map<String, Object>> before = p.query(features);
        long churnedBefore = p.count("main_gold.churn_features where churned = 1");
        assertTrue(before.size() > 300, "customers with features: " + before.size());
        assertTrue(before.get(0).size() > 20, "feature columns: " + before.get(0).keySet());
        long after = p.count("main_gold.fct_transactions where transaction_date > " + CUTOFF);
        assertTrue(after > 1000, "transactions after the cutoff to delete: " + after);

        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute("delete from main_gold.fct_transactions where transaction_date > " + CUTOFF);
            st.execute("delete from main_silver.slv_transactions where transaction_date > " + CUTOFF);
        }
        CliHarness.Result rerun = p.run("run", "-s", "churn_features", "--no-skip-unchanged", "--vars", RetailProjectTest.SIZE);
        assertEquals(0, rerun.exitCode(), rerun.all());

        assertEquals(before, p.query(features), "features changed when only data after the cutoff did");
        // The deletion reached the query: with nothing bought after the cutoff, everyone who bought in the 90 days
        // before it now counts as churned.
        long churnedAfter = p.count("main_gold.churn_features where churned = 1");
        assertEquals(p.count("main_gold.churn_features where spend_last_90d > 0"), churnedAfter);
        assertTrue(churnedAfter > churnedBefore * 3, churnedBefore + " churned before, " + churnedAfter + " after");
    }
}
