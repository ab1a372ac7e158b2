package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What real dbt packages and projects (dbt_utils' integration tests, jaffle-shop) rely on, in a project of our
 * own: generate_schema_name / generate_alias_name overrides, a generic test's fail_calc, a relationships test of
 * a parent whose child has a unit test, statement results without rows, block sets of namespace attributes,
 * target.database and dateadd of a string literal.
 */
class DbtFidelityTest extends ProjectTest {

    @Test
    void projectBuildsAsDbtWouldBuildIt() {
        CliHarness p = copy("fidelity");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        // Every node runs: 1 seed, 5 models, 4 data tests (a fifth is disabled by its Jinja config), 1 unit
        // test; the no_orders test warns.
        assertTrue(r.out().contains("PASS=10 WARN=1 ERROR=0 SKIP=0 TOTAL=11"), r.out());
        assertTrue(r.out().contains("PASS not_null_customers_customer_id") && !r.out().contains("unique_customers"), r.out());
        // fail_calc sums the difference (3 - 0), where count(*) would have counted the one row.
        assertTrue(r.out().contains("Got 3 results, configured to warn if != 0"), r.out());

        // generate_schema_name: the seed is in exactly its custom schema; generate_alias_name: name_alias.
        assertEquals("table", p.relationType("fidelity_raw", "raw_orders"));
        assertEquals("table", p.relationType("main", "customer_list_v2"));
        assertEquals(2L, p.count("main.customer_list_v2"));
        assertEquals(1200L, ((Number) p.scalar("select total_cents from main.customers where customer_id = 10")).longValue());

        Map<String, Object> row = p.query("select block_msg, cast(product as integer) as product, trimmed, printed_none,"
                + " no_else, cast(empty_rows as integer) as empty_rows, empty_columns, target_database, stores_failures,"
                + " cast(plus_two as varchar) as plus_two, day_text from main.jinja_features").get(0);
        assertEquals("block 2", row.get("block_msg"));
        assertEquals(12, ((Number) row.get("product")).intValue());
        assertEquals("padded", row.get("trimmed"));
        assertEquals("None", row.get("printed_none"));
        assertEquals("", row.get("no_else"));
        // A query without rows still has its columns, as agate's table does.
        assertEquals(0, ((Number) row.get("empty_rows")).intValue());
        assertEquals("id,label", row.get("empty_columns"));
        // target.database names the database the warehouse opened (the DuckDB file's stem, as dbt-duckdb).
        assertEquals(p.scalar("select current_database()"), row.get("target_database"));
        assertEquals("False", row.get("stores_failures"));
        assertEquals("2024-02-01", row.get("plus_two"));
        // A date run_query reads is a Python date in the template (strftime).
        assertEquals("2024/03/05", row.get("day_text"));
    }
}
