package dev.sluice.spark;

import dev.sluice.cli.Main;
import org.apache.spark.sql.Row;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole retail sample project (generator, SQL models, snapshots, ML operators, segments and exports) builds
 * on Spark (the Databricks dialect; local or a cluster) with every test passing, and the SQL models up to gold
 * give the same results as on DuckDB: every column of every gold and silver table, row for row, numbers to 4
 * decimals.
 */
final class RetailComparison {
    /** Gold tables fed by the ML nodes: the models' numbers are checked by the per-warehouse suites, not here. */
    private static final List<String> FROM_ML = List.of("customer_scores",
            // The ML feature tables hold doubles (summed in another order on Spark): not part of the 4-decimal check.
            "churn_features", "churn_scoring_features");
    /** Columns holding the time or the id of the run, which differ between the two builds. */
    private static final List<String> RUN_TIME_COLUMNS = List.of("dbt_valid_from", "dbt_valid_to", "dbt_updated_at", "dbt_scd_id",
            // gold's run stamps: which build wrote the row, different by design on the two warehouses
            "run_id", "loaded_at");
    /** Beyond those: what the dialect macros touch (regex, digits, date arithmetic, day of week, string casts). */
    private static final List<String> MACRO_CHECKS = List.of(
            "select count(*) as n, count(email) as emails, count(phone_digits) as phones, sum(cast(phone_digits as bigint) % 1000) as digits from main_silver.slv_customers_clean",
            "select count(*) as n, count(distinct unified_customer_id) as people from main_silver.slv_identity_links",
            "select day_of_week, is_weekend, count(*) as n, min(calendar_date) as first_day, min(month_start) as first_month from main_gold.dim_date group by day_of_week, is_weekend order by day_of_week",
            "select sum(recency_days) as recency, sum(tenure_days) as tenure, sum(transactions_last_90d) as last_90d, sum(transactions_prev_90d) as prev_90d from main_gold.churn_features",
            "select count(*) as n, sum(date_key) as keys from main_gold.fct_transactions",
            "select rfm_cell, count(*) as n from main_gold.rfm_scores group by rfm_cell order by rfm_cell",
            "select sum(days_since_last_purchase) as days, sum(transactions_90d) as n from main_gold.customer_segments");
    /** The store pipeline's loaded sources and SQL models, compared column by column. */
    private static final List<String> STORE_TABLES = List.of("main_store_files.internal_sales", "main_store_files.need_state",
            "main_store_files.external_sales", "main_store_files.store_archetypes", "main_stores.stg_store_sales",
            "main_stores.store_internal_features", "main_stores.store_external_features");
    private static final String SIZE = "{customers: 300, months: 9}";

    private RetailComparison() {
    }

    /**
     * Builds the project on DuckDB and on Spark (the profile output given, indented as under outputs.dev) in
     * folders under tmp, and compares; spark runs a query on the warehouse the Spark build wrote to.
     */
    static void compare(Path tmp, String sparkOutput, Function<String, List<Row>> spark) throws Exception {
        Path duck = copy(tmp, "retail-duckdb", """
                      type: duckdb
                      path: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("retail.duckdb")));
        Path sparkProject = copy(tmp, "retail-spark", sparkOutput);

        long t0 = System.nanoTime();
        // The store clustering is compared on its own (compareStores): a second full build's worth of time here.
        List<String> withoutStores = List.of("--exclude", "tag:stores");
        String duckOut = build(duck, withoutStores);
        long t1 = System.nanoTime();
        String sparkOut = build(sparkProject, withoutStores);
        long t2 = System.nanoTime();
        System.out.printf("retail build: duckdb %.1fs, spark %.1fs (wall time)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        // At this size (9 months) the churn model's training cutoff sees truncated 365-day windows, so the drift
        // check may warn, on both warehouses; nothing else may.
        assertTrue(sparkOut.matches("(?s).*Done\\. PASS=\\d+ WARN=[01] ERROR=0 SKIP=0 TOTAL=\\d+.*"), sparkOut);
        assertTrue(sparkOut.contains("WARN=0") || sparkOut.contains("Warning in test ml_max_drift_churn_metrics"), sparkOut);
        assertEquals(total(duckOut), total(sparkOut), "the same nodes and tests run on both\n" + sparkOut);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("retail.duckdb"))) {
            int compared = 0;
            for (List<String> t : duckRows(c, "select table_schema, table_name from information_schema.tables "
                    + "where table_schema in ('main_gold', 'main_silver') order by 1, 2")) {
                if (FROM_ML.contains(t.get(1))) continue;
                List<String> columns = new ArrayList<>();
                for (List<String> col : duckRows(c, "select column_name from information_schema.columns where table_schema = '"
                        + t.get(0) + "' and table_name = '" + t.get(1) + "' order by ordinal_position")) {
                    if (!RUN_TIME_COLUMNS.contains(col.get(0))) columns.add(col.get(0));
                }
                String sql = "select " + String.join(", ", columns) + " from " + t.get(0) + "." + t.get(1);
                assertEquals(sorted(duckRows(c, sql)), sorted(sparkRows(spark, sql)), sql);
                compared++;
            }
            assertTrue(compared >= 15, "gold and silver tables compared: " + compared);
            for (String sql : MACRO_CHECKS) assertEquals(duckRows(c, sql), sparkRows(spark, sql), sql);
        }
    }

    /**
     * Seed 004's store pipeline alone (selection +store_cluster_assignment) on DuckDB and on Spark: the external
     * Parquet and CSV files as loaded (Spark reads them itself), the SQL models on them column by column, and the
     * two clusterings as partitions of the stores (k-means' cluster numbers are arbitrary).
     */
    static void compareStores(Path tmp, String sparkOutput, Function<String, List<Row>> spark) throws Exception {
        Path duck = copy(tmp, "stores-duckdb", """
                      type: duckdb
                      path: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("stores.duckdb")));
        Path sparkProject = copy(tmp, "stores-spark", sparkOutput);
        List<String> select = List.of("--select", "+store_cluster_assignment");
        String duckOut = build(duck, select);
        String sparkOut = build(sparkProject, select);
        assertTrue(sparkOut.matches("(?s).*Done\\. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+.*"), sparkOut);
        assertEquals(total(duckOut), total(sparkOut), "the same nodes and tests run on both\n" + sparkOut);
        assertTrue(sparkOut.contains("External source store_files.internal_sales: loaded 49920 rows"), sparkOut);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("stores.duckdb"))) {
            for (String t : STORE_TABLES) {
                String[] parts = t.split("\\.");
                List<String> columns = new ArrayList<>();
                for (List<String> col : duckRows(c, "select column_name from information_schema.columns where table_schema = '"
                        + parts[0] + "' and table_name = '" + parts[1] + "' order by ordinal_position")) {
                    if (!RUN_TIME_COLUMNS.contains(col.get(0))) columns.add(col.get(0));
                }
                assertTrue(!columns.isEmpty(), t + " on DuckDB");
                String sql = "select " + String.join(", ", columns) + " from " + t;
                List<String> duckSorted = sorted(duckRows(c, sql));
                assertTrue(!duckSorted.isEmpty(), sql + ": no rows");
                assertEquals(duckSorted, sorted(sparkRows(spark, sql)), sql);
            }
            for (String column : List.of("internal_cluster", "external_cluster")) {
                String sql = "select store_id, " + column + " from main_stores.store_cluster_assignment";
                java.util.Set<String> groups = partition(duckRows(c, sql));
                assertTrue(groups.size() >= 2, sql + ": " + groups);
                assertEquals(groups, partition(sparkRows(spark, sql)), sql);
            }
        }
    }

    /** Stores grouped by cluster, whatever the clusters' numbers: each cluster's sorted store ids. */
    private static java.util.Set<String> partition(List<List<String>> rows) {
        java.util.Map<String, java.util.TreeSet<Long>> groups = new java.util.HashMap<>();
        for (List<String> r : rows) groups.computeIfAbsent(r.get(1), k -> new java.util.TreeSet<>()).add(Long.parseLong(r.get(0)));
        java.util.Set<String> out = new java.util.HashSet<>();
        groups.values().forEach(g -> out.add(g.toString()));
        return out;
    }

    private static List<String> sorted(List<List<String>> rows) {
        List<String> out = new ArrayList<>();
        for (List<String> r : rows) out.add(String.join(" | ", r));
        java.util.Collections.sort(out);
        return out;
    }

    /** A copy of the sample project (its target/ left out) whose profile has the one output given. */
    private static Path copy(Path tmp, String name, String output) throws IOException {
        Path src = Path.of("..", "project").toAbsolutePath().normalize();
        Path dst = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                if (src.relativize(p).startsWith("target")) continue;
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        Files.writeString(dst.resolve("profiles.yml"), "retail:\n  target: dev\n  outputs:\n    dev:\n" + output);
        return dst;
    }

    private static String build(Path project, List<String> selection) {
        List<String> args = new ArrayList<>(List.of("build", "--vars", SIZE, "--project-dir", project.toString(),
                "--profiles-dir", project.toString()));
        args.addAll(selection);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(args.toArray(String[]::new), ps, ps);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    private static String total(String out) {
        return out.replaceFirst("(?s).*Done\\. PASS=\\d+ WARN=\\d+ ERROR=\\d+ SKIP=\\d+ TOTAL=(\\d+).*", "$1");
    }

    private static List<List<String>> duckRows(Connection c, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(value(rs.getObject(i)));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<String>> sparkRows(Function<String, List<Row>> spark, String sql) {
        List<List<String>> rows = new ArrayList<>();
        for (Row r : spark.apply(sql)) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) row.add(value(r.get(i)));
            rows.add(row);
        }
        return rows;
    }

    /** Drivers differ in number types and spellings (20.50 vs 20.5, int vs long): compare values, to 4 decimals. */
    private static String value(Object v) {
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).setScale(4, java.math.RoundingMode.HALF_UP);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.sql.Timestamp ts) return ts.toLocalDateTime().toString();
        if (v instanceof java.time.Instant i) return java.time.LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC).toString();
        return String.valueOf(v);
    }
}
