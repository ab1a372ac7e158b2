package dev.sluice.spark;

import dev.sluice.cli.Main;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's shop fixture on Spark with Delta, through the CLI: the Databricks dialect executed for real, on
 * local Spark (SparkBuildTest) and on a cluster through Spark Connect (SparkConnectBuildTest). Spark has one
 * warehouse per process (or cluster), so the tests share one and keep to schemas of their own.
 */
abstract class ShopOnSpark {
    @TempDir
    static Path tmp;

    record Result(int code, String out) {
    }

    /** The profile's output (indented as under outputs.dev) that builds into the given schema. */
    abstract String output(String schema);

    /** Runs a query on the warehouse the builds wrote to. */
    abstract List<Row> rows(String sql);

    /** A copy of the engine's shop fixture with a spark profile building into the given schema. */
    Path project(String name, String schema) throws IOException {
        Path src = Path.of("../engine/src/test/resources/projects/shop").toAbsolutePath().normalize();
        Path dst = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        Files.writeString(dst.resolve("profiles.yml"), """
                shop:
                  target: dev
                  outputs:
                    dev:
                """ + output(schema));
        return dst;
    }

    static Result run(Path project, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--project-dir", project.toString(), "--profiles-dir", project.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(all.toArray(String[]::new), ps, ps);
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shopProjectBuildsWithTheSameTablesAsOnDuckDb() throws IOException {
        Path p = project("shop", "main");
        Result r = run(p, "build");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("Completed successfully"), r.out());
        assertTrue(r.out().matches("(?s).*Done\\. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+.*"), r.out());
        assertTrue(r.out().contains("OK loaded seed file main.raw_orders"), r.out());
        assertTrue(r.out().contains("PASS unique_customers_customer_id"), r.out());

        assertEquals(1, rows("show views in main like 'stg_customers'").size());
        assertEquals(0, rows("show views in main like 'customers'").size());
        assertEquals(1, rows("show tables in main like 'customers'").size());
        assertEquals(0, rows("show tables in main like 'stg_payments'").size(), "ephemeral models are inlined");

        Map<Long, BigDecimal> ltv = new HashMap<>();
        for (Row row : rows("select customer_id, customer_lifetime_value from main.customers")) {
            ltv.put(((Number) row.get(0)).longValue(), new BigDecimal(row.get(1).toString()));
        }
        assertEquals(6, ltv.size());
        assertEquals(0, new BigDecimal("41.00").compareTo(ltv.get(1L)), "customer 1: orders 1, 3, 7");
        assertEquals(0, BigDecimal.ZERO.compareTo(ltv.get(6L)), "customer 6 has no orders");
        assertEquals(3L, ((Number) rows("select number_of_orders from main.customers where customer_id = 1").get(0).get(0)).longValue());
        assertEquals(0, new BigDecimal("16.00").compareTo(new BigDecimal(
                rows("select credit_card_amount from main.orders where order_id = 7").get(0).get(0).toString())));
        assertEquals(10L, rows("select * from main.orders").size());

        // A second build replaces every relation in place and gives the same rows.
        String before = rows("select * from main.customers order by customer_id").toString();
        Result again = run(p, "build");
        assertEquals(0, again.code(), again.out());
        assertEquals(before, rows("select * from main.customers order by customer_id").toString());
    }

    @Test
    void incrementalMergeAndSnapshotAcrossRuns() throws IOException {
        Path p = project("inc", "inc");
        Files.writeString(p.resolve("models/marts/orders_inc.sql"), """
                {{ config(materialized='incremental', unique_key='order_id') }}
                select order_id, customer_id, status from {{ ref('stg_orders') }}
                """);
        Files.writeString(p.resolve("models/marts/orders_del_ins.sql"), """
                {{ config(materialized='incremental', unique_key='order_id', incremental_strategy='delete+insert') }}
                select order_id, status from {{ ref('stg_orders') }}
                {% if is_incremental() %}where order_id >= 5{% endif %}
                """);
        Files.createDirectories(p.resolve("snapshots"));
        Files.writeString(p.resolve("snapshots/orders_snapshot.sql"), """
                {% snapshot orders_snapshot %}
                {{ config(target_schema='inc_snapshots', unique_key='id', strategy='check', check_cols=['status'], invalidate_hard_deletes=True) }}
                select * from {{ ref('raw_orders') }}
                {% endsnapshot %}
                """);
        Result first = run(p, "build");
        assertEquals(0, first.code(), first.out());
        assertEquals(10, rows("select * from inc.orders_inc").size());
        assertEquals(10, rows("select * from inc_snapshots.orders_snapshot").size());

        // Order 1 changes status, order 10 disappears, order 11 is new.
        String csv = Files.readString(p.resolve("seeds/raw_orders.csv"));
        List<String> lines = new ArrayList<>(csv.lines().toList());
        lines.set(1, lines.get(1).replace("returned", "completed"));
        lines.removeIf(l -> l.startsWith("10,"));
        lines.add("11,2,2024-01-20,placed");
        Files.writeString(p.resolve("seeds/raw_orders.csv"), String.join("\n", lines) + "\n");
        Result second = run(p, "build");
        assertEquals(0, second.code(), second.out());

        // Merge: rows updated in place and added; the removed order stays, as dbt's merge keeps it.
        assertEquals(11, rows("select * from inc.orders_inc").size());
        assertEquals("completed", rows("select status from inc.orders_inc where order_id = 1").get(0).getString(0));
        assertEquals(1, rows("select * from inc.orders_inc where order_id = 11").size());
        assertEquals(11, rows("select * from inc.orders_del_ins").size());
        // Snapshot: a new version for order 1, order 10 closed, order 11 opened.
        assertEquals("[[1,returned,false], [1,completed,true]]",
                rows("select id, status, dbt_valid_to is null from inc_snapshots.orders_snapshot where id = 1 order by dbt_valid_to is null").toString());
        assertEquals(1, rows("select * from inc_snapshots.orders_snapshot where id = 10 and dbt_valid_to is not null").size());
        assertEquals(11, rows("select * from inc_snapshots.orders_snapshot where dbt_valid_to is null").size() + 1);
    }
}
