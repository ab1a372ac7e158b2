package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two builds of the retail project on one PostgreSQL target with different data: while one runs, a second
 * fails at once naming the holder, and a third given --lock-timeout waits and then builds. Every final table
 * equals what one complete build of the last run's data gives, never a mix of the two.
 */
class RunLockPostgresTest extends ProjectTest {
    private static final String SMALL = "{customers: 150, months: 6}";
    private static final String OTHER = "{customers: 200, months: 6, gate: 1}";
    @Override
    Warehouse warehouse() {
        return postgres();
    }

    @Test
    void secondBuildFailsNamingTheHolderAndAWaitingBuildRunsAfterIt() throws Exception {
        CliHarness p = CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
        // A gate the test controls keeps the first build inside its run (holding the run lock) until released.
        p.write("project.yml", p.read("project.yml").replace("on-run-start:\n",
                "on-run-start:\n  - \"{% if var('gate', 0) %}select pg_advisory_lock(4242), pg_advisory_unlock(4242){% endif %}\"\n"));
        CliHarness.Result reference = p.run("build", "--full-refresh", "--exclude", "tag:ml+", "--vars", SMALL);
        assertEquals(0, reference.exitCode(), reference.all());
        Map<String, String> expected = contents(p);
        assertTrue(expected.size() >= 8, expected.keySet().toString());
        assertEquals(150, p.count("main_silver.slv_customers"));

        try (Connection gate = p.warehouse.connect(p.dir); Statement st = gate.createStatement()) {
            st.execute("select pg_advisory_lock(4242)");
            CliProcess holder = CliProcess.start(p, "build", "--full-refresh", "--exclude", "tag:ml+", "--vars", OTHER);
            assertTrue(holder.awaitLine("Concurrency: ", 300), "the first build reached its run: " + holder.output());

            CliProcess loser = CliProcess.start(p, "build", "--full-refresh", "--exclude", "tag:ml+", "--vars", SMALL);
            assertEquals(2, loser.waitFor(120), loser.output());
            String message = loser.output().strip();
            assertTrue(message.matches("(?s).*another run holds the target 'dev' since \\d\\d:\\d\\d \\(pid "
                    + holder.process.pid() + ", host [^)]+\\).*"), message);
            assertTrue(message.contains("--lock-timeout"), message);

            CliProcess waiter = CliProcess.start(p, "build", "--full-refresh", "--exclude", "tag:ml+", "--vars", SMALL, "--lock-timeout", "600");
            assertTrue(waitingForTheLock(st), "the third build waits for the run lock: " + waiter.output());
            st.execute("select pg_advisory_unlock(4242)");
            assertEquals(0, holder.waitFor(600), holder.output());
            assertEquals(0, waiter.waitFor(600), waiter.output());
        }
        // The waiting build ran last, alone: every table is what one complete build of its data gives.
        assertEquals(expected, contents(p));
        assertEquals(List.of(), p.query("select table_schema, table_name from information_schema.tables "
                + "where table_name like '%\\_\\_sluice\\_%'"), "no temporary relation is left");
    }

    /** Polls the server's activity view: no event tells the test when another process starts waiting. */
    private static boolean waitingForTheLock(Statement st) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (var rs = st.executeQuery("select count(*) from pg_stat_activity where application_name like 'sluice run%' "
                    + "and wait_event_type = 'Lock' and query like '%pg_advisory_lock(%'")) {
                rs.next();
                if (rs.getLong(1) > 0) return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * A digest of every table the build writes in the silver and gold layers, without the run stamps (run_id,
     * loaded_at) gold carries, doubles rounded; snapshots keep history of every run by design, and the raw zone is append-only
     * (each batch of data stays), so they are left out.
     */
    private static Map<String, String> contents(CliHarness p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> t : p.query("select table_schema, table_name from information_schema.tables "
                + "where table_schema in ('main_silver', 'main_gold') and table_type = 'BASE TABLE' "
                + "and table_name not in ('dim_customer') order by 1, 2")) {
            String schema = t.get("table_schema").toString();
            String name = t.get("table_name").toString();
            // Doubles are compared to 9 decimals: a sum of doubles depends on the order PostgreSQL adds the rows in.
            List<String> columns = p.query("select column_name, data_type from information_schema.columns where table_schema = '"
                    + schema + "' and table_name = '" + name + "' and column_name not in ('run_id', 'loaded_at') order by ordinal_position")
                    .stream().map(c -> "coalesce(" + ("double precision".equals(c.get("data_type"))
                            ? "round(t.\"" + c.get("column_name") + "\"::numeric, 9)" : "t.\"" + c.get("column_name") + "\"")
                            + "::text, '<null>')").toList();
            String row = "concat_ws('|', " + String.join(", ", columns) + ")";
            out.put(schema + "." + name, p.query("select md5(string_agg(" + row + ", chr(10) order by " + row + ")) as h, count(*) as n from "
                    + schema + "." + name + " t").toString());
        }
        return out;
    }
}
