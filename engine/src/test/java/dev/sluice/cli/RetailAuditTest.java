package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003's audit guidance on the sample project: per-build audit tables reconcile raw, bronze, silver and gold
 * (and a test fails the build when they do not), the raw zone is append-only (a batch lands once and is never
 * rewritten; a new batch is appended), and gold rows carry the id and time of the run that loaded them.
 */
class RetailAuditTest extends ProjectTest {
    private static final String SIZE = "{customers: 200, months: 6}";
    private static final String OTHER_SIZE = "{customers: 150, months: 6}";
    /** The ML nodes are covered by RetailProjectTest; the audit does not read them. */
    private static final String[] NO_ML = {"--exclude", "tag:ml+"};

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    private CliHarness.Result build(CliHarness p, String size) {
        return p.run("build", "--vars", size, NO_ML[0], NO_ML[1]);
    }

    @Test
    void layersReconcileGoldIsStampedAndTheRawZoneOnlyGrows() throws Exception {
        CliHarness p = retail();
        CliHarness.Result r = build(p, SIZE);
        assertEquals(0, r.exitCode(), r.all());
        String runId = new ObjectMapper().readTree(p.read("target/run_results.json")).path("metadata").path("invocation_id").asText();

        // Every check of this build matches, and the figures are right: recomputed here from the raw rows.
        List<Map<String, Object>> checks = p.query("select check_name, measure, left_value, right_value, status "
                + "from main_audit.audit_reconciliation where run_id = '" + runId + "'");
        assertEquals(22, checks.size(), checks.toString());
        assertTrue(checks.stream().allMatch(c -> "match".equals(c.get("status"))), checks.toString());
        BigDecimal approved = BigDecimal.ZERO;
        long approvedRows = 0;
        for (Map<String, Object> t : p.query("select amount, status from main_raw.raw_transactions")) {
            if ("Approved".equals(t.get("status"))) {
                approved = approved.add(new BigDecimal(t.get("amount").toString()));
                approvedRows++;
            }
        }
        Map<String, Object> gold = p.query("select row_count, amount_sum from main_audit.audit_layer_totals where run_id = '"
                + runId + "' and flow = 'transactions' and layer = 'gold'").get(0);
        assertEquals(approvedRows, ((Number) gold.get("row_count")).longValue());
        assertEquals(0, approved.compareTo(new BigDecimal(gold.get("amount_sum").toString())), approved + " vs " + gold);
        assertEquals(200L, ((Number) p.scalar("select row_count from main_audit.audit_layer_totals where run_id = '"
                + runId + "' and flow = 'customers' and layer = 'gold'")).longValue());

        // Gold rows carry the run that loaded them.
        assertEquals(List.of(Map.of("run_id", runId)), p.query("select distinct run_id from main_gold.customer_360_profile"));
        assertEquals(0L, ((Number) p.scalar("select count(*) from main_gold.fct_transactions where loaded_at is null or run_id <> '"
                + runId + "'")).longValue());

        // The first batch becomes the raw tables themselves, not a copy of them: batch_id holds the batch on every
        // row of the four tables and keeps no default, and no staged table is left behind.
        for (String t : List.of("raw_customers", "raw_transactions", "raw_email_events", "raw_web_sessions")) {
            assertEquals(List.of(Map.of("batch_id", "c200-m6-s42-e2025-06-30")),
                    p.query("select distinct batch_id from main_raw." + t), t);
        }
        assertEquals(5L, ((Number) p.scalar("select count(*) from information_schema.columns where table_schema = 'main_raw' "
                + "and column_name = 'batch_id' and column_default is null")).longValue());
        assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.tables where table_schema = 'main_raw' "
                + "and table_name like '%sluice%'")).longValue());

        // The same batch again: nothing in the raw zone is rewritten.
        String ledger = p.query("select batch_id, table_name, row_count, loaded_at from main_raw.raw_batches order by 2").toString();
        long rawCustomers = p.count("main_raw.raw_customers");
        Object rawKeySum = p.scalar("select sum(transaction_id) from main_raw.raw_transactions");
        r = build(p, SIZE);
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("batch c200-m6-s42-e2025-06-30 is already in the raw zone: nothing rewritten"), r.out());
        assertEquals(ledger, p.query("select batch_id, table_name, row_count, loaded_at from main_raw.raw_batches order by 2").toString());
        assertEquals(rawCustomers, p.count("main_raw.raw_customers"));
        assertEquals(2L, ((Number) p.scalar("select count(distinct run_id) from main_audit.audit_reconciliation")).longValue(),
                "each build appends its own audit");

        // A new batch is appended beside the first, which stays as it was; bronze and gold read the new one. (A
        // batch of another spec is another data set: --full-refresh starts the incremental fact over.)
        r = p.run("build", "--vars", OTHER_SIZE, NO_ML[0], NO_ML[1], "--full-refresh");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(2L, ((Number) p.scalar("select count(distinct batch_id) from main_raw.raw_batches")).longValue());
        assertEquals(rawCustomers, p.count("main_raw.raw_customers where batch_id = 'c200-m6-s42-e2025-06-30'"));
        assertTrue(p.count("main_raw.raw_customers where batch_id = 'c150-m6-s42-e2025-06-30'") >= 150);
        assertEquals(rawKeySum.toString(), p.scalar("select sum(transaction_id) from main_raw.raw_transactions "
                + "where batch_id = 'c200-m6-s42-e2025-06-30'").toString());
        assertEquals(150, p.count("main_gold.customer_360_profile"));
    }

    @Test
    void aLayerThatLosesRowsFailsTheReconciliation() {
        CliHarness p = retail();
        // A silver model that silently drops a fiftieth of the transactions.
        String silver = p.read("models/silver/slv_transactions.sql");
        String join = "l on l.customer_id = n.customer_id";
        assertTrue(silver.contains(join), "the join this test narrows is gone from slv_transactions.sql");
        p.write("models/silver/slv_transactions.sql", silver.replace(join, join + " and mod(n.transaction_id, 50) <> 0"));
        // Run (a build would skip the audit after the first failing test downstream), then the reconciliation test.
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "--vars", SIZE, NO_ML[0], NO_ML[1]);
        assertEquals(0, r.exitCode(), r.all());
        r = p.run("test", "--vars", SIZE, "--select", "audit_layers_reconcile");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().matches("(?s).*FAIL \\d+ audit_layers_reconcile.*"), r.out());
        List<Map<String, Object>> bad = p.query("select check_name, measure from main_audit.audit_reconciliation where status = 'mismatch'");
        assertTrue(bad.stream().anyMatch(b -> "bronze.all -> silver.all".equals(b.get("check_name"))), bad.toString());
        assertTrue(bad.stream().anyMatch(b -> "raw.approved -> gold.all".equals(b.get("check_name"))), bad.toString());
    }
}
