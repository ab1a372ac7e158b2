package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain dbt Core project (views, tables, ephemeral, macros, seeds, schema tests) built unmodified. */
class BuildCommandTest extends ProjectTest {

    @Test
    void buildsDbtProjectWithRightTables() throws Exception {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Completed successfully"), r.out());
        assertTrue(r.out().matches("(?s).*Done\\. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+.*"), r.out());
        assertTrue(r.out().contains("START sql view model main.stg_customers"), r.out());
        assertTrue(r.out().contains("OK loaded seed file main.raw_orders"), r.out());
        assertTrue(r.out().contains("PASS unique_customers_customer_id"), r.out());

        assertEquals("view", p.relationType("main", "stg_customers"));
        assertEquals("table", p.relationType("main", "customers"));
        assertNull(p.relationType("main", "stg_payments"), "ephemeral models are inlined, not built");

        Map<Long, BigDecimal> ltv = new HashMap<>();
        for (Map<String, Object> row : p.query("select customer_id, customer_lifetime_value, number_of_orders from main.customers")) {
            ltv.put(((Number) row.get("customer_id")).longValue(), new BigDecimal(row.get("customer_lifetime_value").toString()));
        }
        assertEquals(6, ltv.size());
        assertEquals(0, new BigDecimal("41.00").compareTo(ltv.get(1L)), "customer 1: orders 1, 3, 7");
        assertEquals(0, BigDecimal.ZERO.compareTo(ltv.get(6L)), "customer 6 has no orders");
        assertEquals(3L, ((Number) p.scalar("select number_of_orders from main.customers where customer_id = 1")).longValue());
        assertEquals(new BigDecimal("16.00").compareTo(new BigDecimal(p.scalar(
                "select credit_card_amount from main.orders where order_id = 7").toString())), 0);

        String compiled = p.read("target/compiled/shop/models/marts/orders.sql");
        assertTrue(compiled.contains("__dbt__cte__stg_payments as ("), compiled);
        assertTrue(compiled.contains("\"main\".\"stg_orders\""), compiled);

        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree(Files.readString(p.dir.resolve("target/run_results.json")));
        assertTrue(results.get("results").size() > 10);
        for (JsonNode n : results.get("results")) {
            String status = n.get("status").asText();
            assertTrue(status.equals("success") || status.equals("pass"), n.toString());
        }
        JsonNode manifest = json.readTree(Files.readString(p.dir.resolve("target/manifest.json")));
        JsonNode customers = manifest.get("nodes").get("model.shop.customers");
        assertEquals("table", customers.get("config").get("materialized").asText());
        assertTrue(customers.get("depends_on").get("nodes").toString().contains("model.shop.orders"));
        assertTrue(customers.get("config").get("tags").toString().contains("core"));
        assertTrue(customers.get("config").get("tags").toString().contains("marts"));
    }

    @Test
    void secondBuildIsIdenticalAndThreadsGiveSameResult() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build", "--threads", "1").exitCode());
        Object first = p.query("select * from main.customers order by customer_id").toString();
        // Rebuilt although unchanged, to compare what four threads build.
        CliHarness.Result r = p.run("build", "--threads", "4", "--no-skip-unchanged");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Concurrency: 4 threads"), r.out());
        assertEquals(first, p.query("select * from main.customers order by customer_id").toString());
        assertEquals(10, p.count("main.orders"));
        assertTrue(r.out().contains("OK created sql table model main.orders"), r.out());
        // Row counts come from the statements themselves where the warehouse reports them (PostgreSQL's CREATE
        // TABLE AS). DuckDB's driver does not, and no count(*) is spent on it: its tables say OK, as in dbt-duckdb.
        if (warehouse().isDuckDb()) {
            assertFalse(r.out().contains("[SELECT "), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.contains("OK created sql table model main.orders") && l.contains("[OK in")), r.out());
            String log = p.read("logs/engine.log");
            assertFalse(log.contains("select count(*) as n from \"main\".\"orders\""), "no count(*) after the table's statement");
        } else {
            assertTrue(r.out().contains("[SELECT 10 in"), r.out());
            assertTrue(r.out().contains("[SELECT 6 in"), r.out());
        }
    }

    @Test
    void seedInfersTypesAndHonoursColumnTypes() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("seed");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("[INSERT 6 in"), r.out());
        assertEquals("DATE", p.dataType("raw_customers", "signup_date"));
        assertEquals("INTEGER", p.dataType("raw_orders", "id"), "whole numbers are integer, as dbt infers them");
        assertEquals("INTEGER", p.dataType("raw_payments", "amount"));

        // Changed rows replace the old ones; a new column needs the table rebuilt.
        p.write("seeds/raw_customers.csv", "id,first_name,last_name,signup_date,vip\n1,Ada,Lovelace,2023-01-05,true\n");
        r = p.run("seed", "-s", "raw_customers");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.raw_customers"));
        assertEquals("BOOLEAN", p.dataType("raw_customers", "vip"));
        r = p.run("seed", "--full-refresh", "-s", "raw_customers");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.raw_customers"));
    }

    @Test
    void failedModelKeepsPreviousTableAndSkipsOnlyItsDownstream() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build").exitCode());
        long before = p.count("main.orders");
        // Parses, but fails in the warehouse: the column does not exist.
        p.write("models/marts/orders.sql", "select order_id, no_such_column from {{ ref('stg_orders') }}\n");
        CliHarness.Result r = p.run("run");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("ERROR creating sql table model main.orders"), r.out());
        assertTrue(r.out().contains("SKIP sql table model main.customers"), r.out());
        // The independent branch goes on (unchanged since the first build, so not rebuilt).
        assertTrue(r.out().contains("SKIP (unchanged) sql view model main.stg_customers"), r.out());
        assertTrue(r.out().contains("Database Error"), r.out());
        assertTrue(r.out().contains("compiled code at target/compiled/shop/models/marts/orders.sql"), r.out());
        assertEquals(before, p.count("main.orders"), "the previous table is intact");
        assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.tables where table_name like '%__sluice_%'")).longValue());
    }

    /**
     * As in dbt, a failing relationships test (orders.customer_id to customers) skips what is downstream of both
     * models it reads, not what reads orders alone, which no longer waits for it either.
     */
    @Test
    void failingRelationshipsTestSkipsOnlyWhatIsDownstreamOfBothModels() {
        CliHarness p = copy("shop");
        p.write("seeds/raw_orders.csv", p.read("seeds/raw_orders.csv") + "11,99,2024-01-20,placed\n");
        p.write("models/marts/orders_report.sql", "select order_id from {{ ref('orders') }}\n");
        p.write("models/marts/customer_report.sql", "select customer_id from {{ ref('customers') }}\n");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 1 relationships_orders_customer_id__customer_id__ref_customers_"), r.out());
        assertTrue(r.out().contains("OK created sql table model main.orders_report"), r.out());
        assertTrue(r.out().contains("SKIP sql table model main.customer_report"), r.out());
        assertEquals(11L, p.count("main.orders_report"));
    }

    @Test
    void failingTestSkipsDownstreamInBuild() {
        CliHarness p = copy("shop");
        p.write("seeds/raw_orders.csv", p.read("seeds/raw_orders.csv") + "10,3,2024-01-15,placed\n");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 1 unique_stg_orders_order_id"), r.out());
        assertTrue(r.out().contains("SKIP sql table model main.orders"), r.out());
        assertTrue(r.out().contains("OK created sql view model main.stg_customers"), r.out());
        assertTrue(r.out().contains("Got 1 result, configured to fail if != 0"), r.out());
    }
}
