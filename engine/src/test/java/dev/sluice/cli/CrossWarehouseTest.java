package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same sample project gives the same results on DuckDB and on PostgreSQL. */
class CrossWarehouseTest extends ProjectTest {
    private static final List<String> CHECKS = List.of(
            "select count(*) as n, round(cast(sum(total_spend) as numeric), 2) as spend from main_gold.customer_360_profile",
            "select rfm_segment, count(*) as n from main_gold.rfm_scores group by rfm_segment order by rfm_segment",
            "select lifecycle_stage, count(*) as n from main_gold.customer_lifecycle group by lifecycle_stage order by lifecycle_stage",
            "select count(*) as n, sum(source_records) as records from main_silver.slv_customers",
            "select item_a, item_b, baskets_with_pair from main_gold.market_basket_pairs order by item_a, item_b",
            "select month_start, round(cast(total_spend as numeric), 2) as spend from main_gold.metric_mom_spend_change order by month_start",
            "select churned, count(*) as n from main_gold.churn_features group by churned order by churned",
            "select count(*) as n from main_gold.dim_date");

    @Test
    void retailProjectGivesEqualResultsOnDuckDbAndPostgres() {
        Warehouse pg = postgres();
        Path project = Path.of("..", "project").toAbsolutePath().normalize();
        CliHarness duck = CliHarness.copyOf(project, "retail-duckdb", tmp, Warehouse.DUCKDB);
        CliHarness post = CliHarness.copyOf(project, "retail-postgres", tmp, pg);
        String size = "{customers: 300, months: 9}";
        // The models up to gold: the ML nodes and what reads them are covered by the per-warehouse suites.
        CliHarness.Result r = duck.run("build", "--vars", size, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        r = post.run("build", "--vars", size, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        for (String sql : CHECKS) {
            assertEquals(normalize(duck.query(sql).toString()), normalize(post.query(sql).toString()), sql);
        }
    }

    /** Drivers differ in how they print numbers (20.50 vs 20.5); compare values, not spellings. */
    private static String normalize(String s) {
        return s.replaceAll("(\\d+\\.\\d*?)0+(?=\\D)", "$1").replaceAll("\\.(?=\\D)", "");
    }
}
