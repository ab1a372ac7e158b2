package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A build killed with kill -9 at arbitrary moments never leaves a previously built relation missing or
 * changed, and a rerun completes with the same tables.
 */
class KillRecoveryTest extends ProjectTest {

    @Test
    void killNineAnywhereLeavesTablesReadableAndRerunCompletes() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/marts/orders_inc.sql", """
                {{ config(materialized='incremental', unique_key='order_id') }}
                select * from {{ ref('orders') }}
                """);
        // Exports too: a kill while one is written leaves a partial temporary file next to it.
        p.write("models/marts/exports.yml", """
                version: 2
                operators:
                  - name: audience_export
                    type: export_file
                    sql: "select o.*, c.first_name from {{ ref('orders') }} o join {{ ref('customers') }} c using (customer_id)"
                    config: {path: audiences/orders.csv}
                  - name: wide_export
                    type: export_file
                    sql: "select * from {{ ref('orders') }} cross join {{ ref('stg_customers') }}"
                    config: {path: audiences/wide.jsonl}
                """);
        assertEquals(0, p.run("build").exitCode());
        Map<String, Long> baseline = snapshot(p);
        assertTrue(baseline.size() >= 8, baseline.toString());

        // Kill points are spread over the length of a whole run as measured here, so they land mid-run on
        // fast and slow machines alike.
        long t0 = System.nanoTime();
        Process full = start(p, "build", "--full-refresh");
        assertTrue(full.waitFor(120, TimeUnit.SECONDS), "a full run finishes");
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        Random random = new Random(42);
        int killed = 0;
        for (int i = 0; i < 6; i++) {
            boolean fullRefresh = i % 2 == 0;
            Process proc = start(p, "build", "--threads", String.valueOf(1 + i % 3), fullRefresh ? "--full-refresh" : "--store-failures");
            long delay = runMillis / 5 + random.nextInt((int) Math.max(1, runMillis * 7 / 10));
            if (!proc.waitFor(delay, TimeUnit.MILLISECONDS)) {
                proc.destroyForcibly();
                killed++;
            }
            proc.waitFor(30, TimeUnit.SECONDS);
            // A kill may cost rows of the state table (their nodes build again), never a table.
            Map<String, Long> now = withoutState(snapshot(p));
            // Views included: on PostgreSQL a replaced table's views are re-created in the replacing transaction.
            assertEquals(withoutState(baseline), now, "after kill " + i + " at " + delay + " ms");
        }
        assertTrue(killed > 0, "at least one run was killed mid-way");
        // What a kill in the middle of writing an export leaves, whether or not one of the kills above hit it.
        java.nio.file.Files.writeString(p.dir.resolve("target/exports/audiences/.orders.csv.8123456789.tmp"), "1,partial,");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(baseline, snapshot(p));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(p.dir.resolve("target/exports"))) {
            List<Path> partial = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), partial, "no partial export file remains after the next run");
        }
        assertTrue(p.read("target/exports/audiences/orders.csv").lines().count() > 1);
    }

    @Test
    void ctrlCCancelsRunningStatementsSaysWhatAndExits130() throws Exception {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build").exitCode());
        Map<String, Long> baseline = snapshot(p);
        // A statement that runs until cancelled.
        p.write("models/marts/endless.sql", "{{ config(materialized='table') }}\n"
                + "{% if target.type == 'postgres' %}select 1 as x from (select pg_sleep(600)) s\n"
                + "{% else %}select sum(a.range * b.range) as x from range(1000000000) a, range(1000000000) b\n{% endif %}");
        CliProcess run = CliProcess.start(p, "run", "--threads", "2");
        assertTrue(run.awaitLine("START sql table model main.endless", 120), run.output());
        // Meanwhile a second build on the same target is refused, naming the run that holds it.
        CliHarness.Result second = p.run("build");
        assertEquals(2, second.exitCode(), second.all());
        assertTrue(second.err().contains("another run holds the target 'dev' since "), second.all());
        assertTrue(second.err().contains("(pid " + run.process.pid() + ", host "), second.all());
        run.signal("INT");
        assertEquals(130, run.waitFor(60), run.output());
        assertTrue(run.output().contains("Interrupted: cancelled sql table model main.endless"), run.output());
        assertEquals(baseline, snapshot(p), "no table was replaced or dropped");
        assertEquals(List.of(), p.query("select table_name from information_schema.tables where table_name like 'endless%'"),
                "the interrupted model left no relation behind");
    }

    private static Map<String, Long> withoutState(Map<String, Long> snapshot) {
        Map<String, Long> out = new TreeMap<>(snapshot);
        out.keySet().removeIf(k -> k.endsWith(".\"sluice_state\""));
        return out;
    }

    /**
     * Row counts of every user relation; leftovers of killed runs are not user relations, nor is the activation
     * log, a ledger that gains a row for every export any run makes.
     */
    private static Map<String, Long> snapshot(CliHarness p) {
        Map<String, Long> out = new TreeMap<>();
        for (Map<String, Object> row : p.query("select table_schema, table_name from information_schema.tables "
                + "where table_name not like '%__sluice_%' and table_name <> 'sluice_activation_log' and table_schema = 'main'")) {
            String rel = "\"" + row.get("table_schema") + "\".\"" + row.get("table_name") + "\"";
            out.put(rel, p.count(rel));
        }
        return out;
    }

    private static Process start(CliHarness p, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.sluice.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--project-dir", p.dir.toString(), "--profiles-dir", p.dir.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(p.dir.resolve("killed-run.log").toString())).start();
    }
}
