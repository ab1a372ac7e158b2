package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fingerprints stored in the warehouse: an unchanged node is not rebuilt, a change rebuilds the node and what
 * depends on it, and nothing else.
 */
class FingerprintTest extends ProjectTest {
    /** The shop's views, tables and seeds: what a build builds (stg_payments is ephemeral). */
    private static final Set<String> BUILT = Set.of("seed.shop.raw_customers", "seed.shop.raw_orders",
            "seed.shop.raw_payments", "model.shop.stg_customers", "model.shop.stg_orders", "model.shop.orders",
            "model.shop.customers", "model.shop.big_orders", "model.shop.big_order_count");

    private CliHarness shop() {
        CliHarness p = copy("shop");
        // A model reading a var, and its child.
        p.write("models/marts/big_orders.sql", "select * from {{ ref('orders') }} where amount >= {{ var('big_amount', 10) }}\n");
        p.write("models/marts/big_order_count.sql", "select count(*) as n from {{ ref('big_orders') }}\n");
        return p;
    }

    private static CliHarness.Result ok(CliHarness.Result r) {
        assertEquals(0, r.exitCode(), r.all());
        return r;
    }

    /** Status of every model and seed in the last run_results.json: success, or unchanged, or another status. */
    private static Map<String, String> outcomes(CliHarness p) {
        try {
            JsonNode results = new ObjectMapper().readTree(p.read("target/run_results.json")).path("results");
            Map<String, String> out = new TreeMap<>();
            for (JsonNode r : results) {
                String id = r.path("unique_id").asText();
                if (!id.startsWith("model.") && !id.startsWith("seed.")) continue;
                String status = r.path("status").asText();
                out.put(id, status.equals("skipped") && r.path("message").asText().equals("SKIP (unchanged)") ? "unchanged" : status);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> with(Map<String, String> outcomes, String status) {
        Set<String> out = new TreeSet<>();
        outcomes.forEach((id, s) -> {
            if (s.equals(status)) out.add(id);
        });
        return out;
    }

    private static Set<String> rest(String... built) {
        Set<String> out = new TreeSet<>(BUILT);
        out.removeAll(Set.of(built));
        return out;
    }

    private String storedFingerprint(CliHarness p, String id) {
        return String.valueOf(p.scalar("select fingerprint || ' ' || run_id from main.sluice_state where node_id = '" + id + "'"));
    }

    /** Status of every data test in the last run_results.json: pass, warn, fail, error, or unchanged. */
    private static Map<String, String> testOutcomes(CliHarness p) {
        try {
            JsonNode results = new ObjectMapper().readTree(p.read("target/run_results.json")).path("results");
            Map<String, String> out = new TreeMap<>();
            for (JsonNode r : results) {
                String id = r.path("unique_id").asText();
                if (!id.startsWith("test.")) continue;
                String status = r.path("status").asText();
                out.put(id, status.equals("skipped") && r.path("message").asText().equals("SKIP (unchanged)") ? "unchanged" : status);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Past 500 finished nodes a batch of rows is written by the state writer's own thread and session while the
     * nodes go on; every row is stored by the end of the run, and the next run skips every node as unchanged.
     */
    @Test
    void batchesWrittenBesideTheNodesStoreEveryRow() throws IOException {
        CliHarness p = shop();
        int views = 620;
        for (int i = 0; i < views; i++) {
            p.write(String.format("models/many/v%03d.sql", i), i < 20 ? "select " + i + " as n\n"
                    : String.format("select n + 1 as n from {{ ref('v%03d') }}\n", i % 20));
        }
        ok(p.run("run", "--select", "path:models/many", "--threads", "2"));
        Map<String, String> first = outcomes(p);
        assertEquals(views, with(first, "success").size(), first.toString());
        String log = java.nio.file.Files.readString(p.dir.resolve("logs/engine.log"));
        assertTrue(log.contains("[sluice-state-writer]: On " + (p.warehouse.isDuckDb() ? "duckdb" : "postgres") + ": insert into"),
                "a batch written by the writer thread");
        assertEquals(views, ((Number) p.scalar("select count(distinct node_id) from main.sluice_state where node_id like 'model.shop.v%'")).intValue());
        assertEquals(views, ((Number) p.scalar("select count(*) from main.sluice_state where node_id like 'model.shop.v%'")).intValue(),
                "one row per node");

        ok(p.run("run", "--select", "path:models/many", "--threads", "2"));
        Map<String, String> second = outcomes(p);
        assertEquals(views, with(second, "unchanged").size(), second.toString());
    }

    /** Every state row: node id to fingerprint, built_at and run_id. */
    private static Map<String, String> stateRows(CliHarness p) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> row : p.query("select node_id, fingerprint, cast(built_at as varchar) as built_at, run_id from main.sluice_state")) {
            out.put(String.valueOf(row.get("node_id")), row.get("fingerprint") + " " + row.get("built_at") + " " + row.get("run_id"));
        }
        return out;
    }

    /**
     * A rebuild that gives nodes and tests the fingerprints they had leaves their rows as they were (nothing
     * removed before the nodes, nothing written after them): the rows stay true whenever a kill stops the run. A
     * node with a post-hook, which a kill could cut off after the relation was replaced, has its row removed first
     * and written anew; so do a node whose SQL changed and what reads it.
     */
    @Test
    void aRebuildToTheSameFingerprintsLeavesTheirRowsAlone() {
        CliHarness p = shop();
        String customers = p.read("models/marts/customers.sql");
        p.write("models/marts/customers.sql", customers.replace("tags=['core']", "tags=['core'], post_hook='select 1'"));
        ok(p.run("build"));
        Map<String, String> first = stateRows(p);
        assertTrue(first.keySet().containsAll(BUILT), first.toString());
        assertTrue(first.keySet().stream().anyMatch(id -> id.startsWith("test.")), first.toString());

        int logBefore = p.read("logs/engine.log").length();
        ok(p.run("build", "--no-skip-unchanged"));
        assertEquals(BUILT, with(outcomes(p), "success"));
        assertFalse(testOutcomes(p).containsValue("unchanged"), testOutcomes(p).toString());
        Map<String, String> second = stateRows(p);
        assertEquals(first.keySet(), second.keySet());
        for (String id : first.keySet()) {
            if (id.equals("model.shop.customers")) {
                assertTrue(!first.get(id).equals(second.get(id)) && second.get(id).startsWith(first.get(id).split(" ")[0] + " "),
                        "the hooked model's row is written anew with the same fingerprint: " + first.get(id) + " -> " + second.get(id));
            } else {
                assertEquals(first.get(id), second.get(id), id);
            }
        }
        // In the log of that run: the hooked model's row removed before the nodes, then written (delete + insert).
        java.util.List<String> writes = p.read("logs/engine.log").substring(logBefore).lines()
                .filter(l -> l.contains("\"main\".\"sluice_state\"") && !l.contains(": select ")).toList();
        assertEquals(3, writes.size(), writes.toString());
        assertTrue(writes.get(0).endsWith("delete from \"main\".\"sluice_state\" where \"node_id\" in ('model.shop.customers')"), writes.toString());
        assertTrue(writes.get(2).contains("insert into \"main\".\"sluice_state\"") && writes.get(2).contains("('model.shop.customers', ")
                && !writes.get(2).contains("model.shop.orders"), writes.toString());

        // A changed model: its row and those of what reads it are written by this run; the rest stay.
        p.write("models/staging/stg_orders.sql", p.read("models/staging/stg_orders.sql") + "\n-- reviewed\n");
        CliHarness.Result r = ok(p.run("build", "--no-skip-unchanged"));
        Map<String, String> third = stateRows(p);
        Set<String> changed = Set.of("model.shop.stg_orders", "model.shop.orders", "model.shop.customers",
                "model.shop.big_orders", "model.shop.big_order_count");
        for (String id : BUILT) {
            String fingerprintBefore = second.get(id).split(" ")[0];
            String fingerprintNow = third.get(id).split(" ")[0];
            if (changed.contains(id)) {
                assertFalse(fingerprintBefore.equals(fingerprintNow), id);
            } else {
                assertEquals(second.get(id), third.get(id), id);
            }
        }
        // And the next run finds every node unchanged.
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "unchanged"), r.out());
    }

    @Test
    void anUnchangedRebuildExecutesNoModelAndNoTestThatPassed() throws IOException {
        CliHarness p = shop();
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "success"));
        Map<String, String> first = testOutcomes(p);
        Set<String> passed = with(first, "pass");
        assertTrue(passed.size() >= 10, first.toString());
        assertEquals(BUILT.size(), ((Number) p.scalar("select count(*) from main.sluice_state where node_id not like 'test.%'")).intValue());
        // A test has a row while it passes: the warning one (orders.amount, severity warn) has none.
        assertEquals(passed.size(), ((Number) p.scalar("select count(*) from main.sluice_state where node_id like 'test.%'")).intValue());
        // Rows a rebuild would drop: one in a table model, one in a seed's table.
        insert(p, "insert into main.orders (order_id, customer_id, status, amount) values (999, 1, 'completed', 0)");
        insert(p, "insert into main.raw_orders (id, user_id, order_date, status) values (999, 1, date '2020-01-01', 'completed')");

        CliHarness.Result r = ok(p.run("build", "--log-format", "json"));
        Map<String, String> second = outcomes(p);
        assertEquals(BUILT, with(second, "unchanged"), r.out());
        assertEquals(1L, p.count("main.orders where order_id = 999 and amount = 0"), "the table was not rebuilt");
        assertEquals(1L, p.count("main.raw_orders where id = 999"), "the seed was not reloaded");
        // Tests that passed on unchanged nodes are not run again; the others (a warning) are.
        Map<String, String> secondTests = testOutcomes(p);
        assertEquals(passed, with(secondTests, "unchanged"), secondTests.toString());
        Set<String> others = new TreeSet<>(first.keySet());
        others.removeAll(passed);
        for (String t : others) assertEquals(first.get(t), secondTests.get(t), t);
        assertTrue(r.out().contains(passed.size() + " unchanged test(s) not run"), r.out());
        // The JSON log says why, and no model started.
        assertTrue(r.out().lines().anyMatch(l -> l.contains("\"name\":\"SkippingDetails\"") && l.contains("\"reason\":\"unchanged\"")
                && l.contains("SKIP (unchanged) sql table model main.orders")), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.contains("\"name\":\"LogStartLine\"") && l.contains("model main.")), r.out());
        assertTrue(r.out().contains("unchanged node(s) not rebuilt"), r.out());

        // run skips too, and --no-skip-unchanged rebuilds (the hand-made row goes).
        ok(p.run("run"));
        assertEquals(Set.of("unchanged"), Set.copyOf(outcomes(p).values()));
        ok(p.run("run", "--no-skip-unchanged", "-s", "orders"));
        assertEquals(Map.of("model.shop.orders", "success"), outcomes(p));
        // Rebuilt: order 999 now comes from the hand-made raw row, without payments.
        assertEquals(0L, p.count("main.orders where order_id = 999 and amount = 0"));
        assertEquals(1L, p.count("main.orders where order_id = 999 and amount is null"));
    }

    private static void insert(CliHarness p, String sql) {
        try (java.sql.Connection c = p.warehouse.connect(p.dir); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Test
    void editingAModelInTheMiddleRebuildsItAndItsDescendantsOnly() {
        CliHarness p = shop();
        ok(p.run("build"));
        p.write("models/staging/stg_orders.sql", p.read("models/staging/stg_orders.sql") + "\n-- reviewed\n");
        ok(p.run("build"));
        Map<String, String> o = outcomes(p);
        Set<String> rebuilt = Set.of("model.shop.stg_orders", "model.shop.orders", "model.shop.customers",
                "model.shop.big_orders", "model.shop.big_order_count");
        assertEquals(rebuilt, with(o, "success"), o.toString());
        assertEquals(rest(rebuilt.toArray(String[]::new)), with(o, "unchanged"), o.toString());
    }

    @Test
    void changingAVarRebuildsTheModelsThatReadItAndTheirDescendants() {
        CliHarness p = shop();
        ok(p.run("build", "--vars", "{big_amount: 10}"));
        long before = ((Number) p.scalar("select n from main.big_order_count")).longValue();
        ok(p.run("build", "--vars", "{big_amount: 30}"));
        Map<String, String> o = outcomes(p);
        assertEquals(Set.of("model.shop.big_orders", "model.shop.big_order_count"), with(o, "success"), o.toString());
        assertEquals(rest("model.shop.big_orders", "model.shop.big_order_count"), with(o, "unchanged"), o.toString());
        long after = ((Number) p.scalar("select n from main.big_order_count")).longValue();
        assertEquals(((Number) p.scalar("select count(*) from main.orders where amount >= 30")).longValue(), after);
        assertTrue(after < before, before + " -> " + after);
        // The same vars again: nothing to build.
        ok(p.run("run", "--vars", "{big_amount: 30}"));
        assertEquals(Set.of("unchanged"), Set.copyOf(outcomes(p).values()));
    }

    @Test
    void changingASeedFileRebuildsTheSeedAndWhatReadsIt() {
        CliHarness p = shop();
        ok(p.run("build"));
        p.write("seeds/raw_payments.csv", p.read("seeds/raw_payments.csv").stripTrailing() + "\n999,1,coupon,500\n");
        ok(p.run("build"));
        Map<String, String> o = outcomes(p);
        Set<String> rebuilt = Set.of("seed.shop.raw_payments", "model.shop.orders", "model.shop.customers",
                "model.shop.big_orders", "model.shop.big_order_count");
        assertEquals(rebuilt, with(o, "success"), o.toString());
        assertEquals(rest(rebuilt.toArray(String[]::new)), with(o, "unchanged"), o.toString());
        assertEquals(1L, p.count("main.raw_payments where id = 999"));
    }

    @Test
    void aModelBuiltOnASeedLoadedEmptyIsRebuiltOnceTheSeedIsLoadedInFull() {
        CliHarness p = shop();
        ok(p.run("build", "--empty"));
        // run does not load seeds: the models read the empty seeds, and must not pass later for models built on
        // the full ones (they did: the next build reloaded the seeds and kept the models, empty, as unchanged).
        ok(p.run("run"));
        assertEquals(0L, p.count("main.orders"));
        ok(p.run("build"));
        long payments = p.count("main.raw_payments");
        assertTrue(payments > 0);
        assertEquals(p.count("main.raw_orders"), p.count("main.orders"));
        assertEquals(p.count("(select distinct order_id from main.raw_payments) as paid"),
                p.count("main.orders where amount is not null"));
        assertEquals(Set.of(), with(outcomes(p), "unchanged"), outcomes(p).toString());
        // Once built on what the seeds hold, the models are unchanged again.
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "unchanged"));
    }

    @Test
    void fullRefreshAndADroppedStateTableRebuildEverything() {
        CliHarness p = shop();
        ok(p.run("build"));
        ok(p.run("build", "--full-refresh"));
        assertEquals(BUILT, with(outcomes(p), "success"));
        insert(p, "drop table main.sluice_state");
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "success"));
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "unchanged"));
    }

    @Test
    void aFailingNodeLeavesThePreviousFingerprint() {
        CliHarness p = shop();
        ok(p.run("build"));
        String stored = storedFingerprint(p, "model.shop.orders");
        String good = p.read("models/marts/orders.sql");
        p.write("models/marts/orders.sql", good.replace("orders.status,", "orders.no_such_column,"));
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("error", outcomes(p).get("model.shop.orders"));
        assertEquals(stored, storedFingerprint(p, "model.shop.orders"), "the failed build wrote no fingerprint");
        // Back to the SQL the table was built from: nothing to rebuild.
        p.write("models/marts/orders.sql", good);
        ok(p.run("build"));
        assertEquals(BUILT, with(outcomes(p), "unchanged"));
    }

    @Test
    void aNodeThatFailsAfterItsRelationWasReplacedBuildsAgainEvenWhenReverted() {
        CliHarness p = shop();
        ok(p.run("build"));
        String child = storedFingerprint(p, "model.shop.big_order_count");
        String good = p.read("models/marts/big_orders.sql");
        // The new relation is committed, then its post-hook fails.
        p.write("models/marts/big_orders.sql", "{{ config(post_hook='select * from no_such_table') }}\n"
                + good.replace("var('big_amount', 10)", "var('big_amount', 10) * 1000"));
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("error", outcomes(p).get("model.shop.big_orders"));
        assertEquals(0L, ((Number) p.scalar("select count(*) from main.sluice_state where node_id = 'model.shop.big_orders'"))
                .longValue(), "no row describes the relation the failed node left");
        // Its child never ran: its row is written back as it was.
        assertEquals("skipped", outcomes(p).get("model.shop.big_order_count"));
        assertEquals(child, storedFingerprint(p, "model.shop.big_order_count"));
        // Back to the SQL of the first build: the relation holds the failed build's rows, so it is rebuilt.
        p.write("models/marts/big_orders.sql", good);
        ok(p.run("build"));
        assertEquals("success", outcomes(p).get("model.shop.big_orders"));
        long big = p.count("(select * from main.orders where amount >= 10) o");
        assertTrue(big > 0);
        assertEquals(big, p.count("main.big_orders"));
    }

    @Test
    void changingAnUpstreamModelRunsItsTestsAgain() {
        CliHarness p = shop();
        ok(p.run("build"));
        p.write("models/staging/stg_orders.sql", p.read("models/staging/stg_orders.sql") + "\n-- reviewed\n");
        ok(p.run("build"));
        Map<String, String> o = testOutcomes(p);
        // Downstream of stg_orders: its own tests and those of orders and customers ran; stg_customers' did not.
        for (String t : o.keySet()) {
            if (t.contains("stg_customers")) {
                assertEquals("unchanged", o.get(t), t + " " + o);
            } else if (t.contains("_orders_") || t.contains("_customers_")) {
                assertTrue(Set.of("pass", "warn").contains(o.get(t)), t + " " + o);
            }
        }
        assertTrue(o.keySet().stream().anyMatch(t -> t.contains("stg_customers")), o.toString());
        assertTrue(o.keySet().stream().anyMatch(t -> t.contains("stg_orders")), o.toString());
        // --no-skip-unchanged runs every test again.
        ok(p.run("build", "--no-skip-unchanged"));
        assertFalse(testOutcomes(p).containsValue("unchanged"), testOutcomes(p).toString());
        // A changed test config (its severity) runs the test again too.
        p.write("models/staging/schema.yml", p.read("models/staging/schema.yml").replaceFirst("- unique\n", "- unique:\n              config:\n                severity: warn\n"));
        ok(p.run("build"));
        Map<String, String> after = testOutcomes(p);
        assertEquals(1, with(after, "pass").size(), after.toString());
    }

    @Test
    void aTestThatFailedRunsAgainUntilItPasses() {
        CliHarness p = shop();
        // Fails while big_order_count has a row with n > 0.
        p.write("tests/no_big_orders.sql", "select * from {{ ref('big_order_count') }} where n > 0\n");
        String id = "test.shop.no_big_orders";
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("fail", testOutcomes(p).get(id));
        assertEquals(0L, p.count("main.sluice_state where node_id = '" + id + "'"));
        // Nothing changed: the failing test runs again (and fails again), the rest is unchanged.
        assertEquals(1, p.run("build").exitCode());
        Map<String, String> o = testOutcomes(p);
        assertEquals("fail", o.get(id), o.toString());
        assertEquals(BUILT, with(outcomes(p), "unchanged"));
        // The data fixed by hand (the model unchanged): the test runs, passes, and is recorded.
        insert(p, "delete from main.big_order_count");
        ok(p.run("build"));
        assertEquals("pass", testOutcomes(p).get(id));
        assertEquals(1L, p.count("main.sluice_state where node_id = '" + id + "'"));
        ok(p.run("build"));
        assertEquals("unchanged", testOutcomes(p).get(id));
        // A test that passed and then fails (its SQL changed) loses its row, so it runs again next time.
        p.write("tests/no_big_orders.sql", "select 1 as failing\n");
        assertEquals(1, p.run("build").exitCode());
        assertEquals(0L, p.count("main.sluice_state where node_id = '" + id + "'"));
    }

    @Test
    void testAloneRunsEveryTestAndRecordsThoseThatPass() {
        CliHarness p = shop();
        ok(p.run("build"));
        insert(p, "delete from main.sluice_state where node_id like 'test.%'");
        ok(p.run("test"));
        Map<String, String> o = testOutcomes(p);
        assertFalse(o.containsValue("unchanged"), o.toString());
        ok(p.run("test"));
        assertFalse(testOutcomes(p).containsValue("unchanged"), "test runs every test it selects");
        // What test recorded lets the next build skip them.
        ok(p.run("build"));
        assertEquals(with(o, "pass"), with(testOutcomes(p), "unchanged"));
    }
}
