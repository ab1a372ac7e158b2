package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * schema_map.yml (seed 002's wf02 mapping, wf03 thresholds) through the CLI: its tables become staging and
 * profile-ready models that ls, compile, build and docs see, with the mapped values checked against the seed
 * files; a missing table or column stops the run before any SQL with the file and line, a type mismatch warns.
 */
class SchemaMapTest extends ProjectTest {
    /** Payments mapped: renamed, cast, derived, dropped, and a profile-ready layer over customers. */
    static final String MAP = """
            version: 1
            validation:
              fail_on_missing_table: true
              fail_on_missing_column: true
              warn_on_type_mismatch: true
            config:
              materialized: table
            tables:
              payments:
                ref: raw_payments
                columns:
                  payment_id: {src: id, type: integer}
                  order_ref: {src: order_id, type: bigint}
                  amount_cents: {src: amount, type: 'decimal(18, 2)'}
                  amount_dollars: {derive: "amount / 100.0", type: 'decimal(18, 2)'}
                drop: [payment_method]
              customers:
                ref: raw_customers
                name: stg_mapped_customers
                where: "id <= {{ var('max_customer', 5) }}"
                columns:
                  id: {type: integer, prp: customer_id}
                  first_name: {type: string, prp: given_name, prp_case: upper}
                  last_name: string
                  signup_date: {type: date, prp: signed_up}
                prp_table_name: customers
            """;

    @Test
    void mappedModelsAreNodesAndHoldTheMappedValues() {
        CliHarness p = copy("shop");
        p.write("schema_map.yml", MAP);
        CliHarness.Result ls = p.run("ls", "--resource-type", "model");
        assertEquals(0, ls.exitCode(), ls.all());
        for (String m : List.of("shop.schema_map.src_payments", "shop.schema_map.stg_mapped_customers",
                "shop.schema_map.prp_customers")) {
            assertTrue(ls.out().contains(m), ls.out());
        }
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.all().contains("SchemaMap") || r.all().contains("neither mapped nor dropped"), r.all());

        // Recomputed from the seed file: every payment, id and order renamed, cents and dollars.
        String csv = p.read("seeds/raw_payments.csv");
        List<String> lines = csv.strip().lines().skip(1).toList();
        Map<Long, long[]> expected = new HashMap<>();
        for (String l : lines) {
            String[] f = l.split(",");
            expected.put(Long.parseLong(f[0]), new long[]{Long.parseLong(f[1]), Long.parseLong(f[3])});
        }
        List<Map<String, Object>> rows = p.query("select * from main.src_payments");
        assertEquals(expected.size(), rows.size());
        assertEquals(List.of("payment_id", "order_ref", "amount_cents", "amount_dollars"), List.copyOf(rows.get(0).keySet()));
        for (Map<String, Object> row : rows) {
            long[] want = expected.get(((Number) row.get("payment_id")).longValue());
            assertEquals(want[0], ((Number) row.get("order_ref")).longValue());
            assertEquals(0, BigDecimal.valueOf(want[1]).compareTo((BigDecimal) row.get("amount_cents")));
            assertEquals(0, BigDecimal.valueOf(want[1]).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP)
                    .compareTo((BigDecimal) row.get("amount_dollars")), row.toString());
        }

        // The where filter, and the profile-ready layer: renamed, trimmed, upper-cased.
        assertEquals(5L, p.count("main.stg_mapped_customers"));
        List<Map<String, Object>> prp = p.query("select * from main.prp_customers order by customer_id");
        assertEquals(List.of("customer_id", "given_name", "signed_up"), List.copyOf(prp.get(0).keySet()));
        assertEquals("ADA", prp.get(0).get("given_name"));
        assertEquals("2023-01-05", prp.get(0).get("signed_up").toString());

        // compile and docs see them, with their parents.
        String manifest = p.read("target/manifest.json");
        assertTrue(manifest.contains("\"model.shop.src_payments\""), "in the manifest");
        assertTrue(manifest.contains("\"seed.shop.raw_payments\""));
        assertTrue(p.read("target/compiled/shop/schema_map.yml/src_payments.sql").contains("cast(id as"));
        CliHarness.Result docs = p.run("docs", "generate");
        assertEquals(0, docs.exitCode(), docs.all());
    }

    @Test
    void missingColumnStopsTheRunBeforeAnySqlNamingTheLine() {
        CliHarness p = copy("shop");
        p.write("schema_map.yml", MAP);
        assertEquals(0, p.run("build").exitCode());
        long before = p.count("main.src_payments");
        // Line 14 maps a column the seed does not have.
        p.write("schema_map.yml", MAP.replace("amount_cents: {src: amount,", "amount_cents: {src: amout,"));
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("schema_map.yml:14"), r.err());
        assertTrue(r.err().contains("column 'amout' (mapped to amount_cents) is missing from"), r.err());
        assertTrue(r.err().contains("did you mean 'amount'?"), r.err());
        assertFalse(r.out().contains("START"), "no node ran: " + r.out());
        assertEquals(before, p.count("main.src_payments"), "the previous table is intact");
    }

    @Test
    void missingTableStopsTheRunNamingTheLine() {
        CliHarness p = copy("shop");
        p.write("schema_map.yml", MAP.replace("ref: raw_customers", "source: crm.customers"));
        p.write("models/crm.yml", "version: 2\nsources:\n  - name: crm\n    schema: crm_raw\n    tables:\n      - name: customers\n");
        CliHarness.Result r = p.run("run", "--select", "stg_mapped_customers");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("schema_map.yml:18"), r.err());
        assertTrue(r.err().contains("customers (source('crm', 'customers')) is missing"), r.err());
        assertNull(p.relationType("main", "stg_mapped_customers"));
    }

    @Test
    void typeMismatchWarnsOrFailsAsTheFileSays() {
        CliHarness p = copy("shop");
        String mismatch = MAP.replace("signup_date: {type: date, prp: signed_up}", "signup_date: {type: string, prp: signed_up}");
        p.write("schema_map.yml", mismatch);
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("schema_map.yml:25:7: table 'customers': column 'signup_date' is date in "), r.out());
        assertTrue(r.out().contains("mapped as string"), r.out());

        p.write("schema_map.yml", mismatch.replace("warn_on_type_mismatch: true", "warn_on_type_mismatch: false"));
        r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("schema_map.yml:25"), r.err());
    }

    @Test
    void inputBuiltInTheSameRunIsCheckedBeforeItsModel() {
        CliHarness p = copy("shop");
        // Nothing is loaded yet: the seed is built by this build, so its columns are checked just before the model.
        p.write("schema_map.yml", MAP.replace("amount_cents: {src: amount,", "amount_cents: {src: amout,"));
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("schema_map.yml:14"), r.out());
        assertTrue(r.out().contains("column 'amout' (mapped to amount_cents) is missing"), r.out());
        assertNull(p.relationType("main", "src_payments"));
        assertEquals("table", p.relationType("main", "prp_customers"), "the other mapped table is built");
    }

    @Test
    void unknownKeysWarnWithLineAndSuggestion() {
        CliHarness p = copy("shop");
        p.write("schema_map.yml", MAP.replace("drop: [payment_method]", "drop: [payment_method]\n    prp_tabel_name: x")
                .replace("last_name: string", "last_name: {tpye: string}"));
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("schema_map.yml:17: unknown key 'prp_tabel_name' in table 'payments', ignored "
                + "(did you mean 'prp_table_name'?)"), r.out());
        assertTrue(r.out().contains("unknown key 'tpye' in table 'customers', column 'last_name', ignored (did you mean 'type'?)"),
                r.out());
    }

    @Test
    void badMappingIsBadInputWithTheLine() {
        CliHarness p = copy("shop");
        p.write("schema_map.yml", MAP.replace("type: 'decimal(18, 2)'}\n    drop", "type: money}\n    drop"));
        CliHarness.Result r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("schema_map.yml:15"), r.err());
        assertTrue(r.err().contains("unknown type 'money'"), r.err());

        p.write("schema_map.yml", MAP.replace("payment_id: {src: id, type: integer}", "payment_id: {src: id, derive: id}"));
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("schema_map.yml:12"), r.err());
        assertTrue(r.err().contains("has both src and derive"), r.err());
    }
}
