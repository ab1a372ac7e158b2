package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Calcite's analysis means for a user: sources, lineage, direct references and dialect SQL. */
class SqlAnalysisCliTest extends ProjectTest {

    @Test
    void sourcesColumnsAndLineageInManifest() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/staging/sources.yml", """
                version: 2
                sources:
                  - name: shop_raw
                    schema: main
                    tables:
                      - name: orders
                        identifier: raw_orders
                        columns:
                          - name: id
                            tests: [not_null]
                """);
        p.write("models/staging/stg_orders.sql", """
                select id as order_id, user_id as customer_id, order_date, status
                from {{ source('shop_raw', 'orders') }}
                """);
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("PASS source_not_null_shop_raw_orders_id"), r.out());
        JsonNode m = new ObjectMapper().readTree(Files.readString(p.dir.resolve("target/manifest.json")));
        JsonNode stg = m.get("nodes").get("model.shop.stg_orders");
        assertTrue(stg.get("depends_on").get("nodes").toString().contains("source.shop.shop_raw.orders"));
        assertEquals("[\"order_id\",\"customer_id\",\"order_date\",\"status\"]", stg.get("columns").properties().stream()
                .map(e -> "\"" + e.getKey() + "\"").toList().toString().replace(" ", ""));
        assertEquals("[\"main.raw_orders.user_id\"]", stg.get("config").get("sluice").get("column_lineage").get("customer_id").toString());
        JsonNode customers = m.get("nodes").get("model.shop.customers");
        assertTrue(customers.get("config").get("sluice").get("column_lineage").get("first_name").toString().contains("main.stg_customers.first_name"),
                customers.get("config").get("sluice").get("column_lineage").toString());
    }

    @Test
    void directTableReferenceIsReported() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select * from main.stg_customers\n");
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("customers reads main.stg_customers directly; use ref()"), r.out());
    }

    @Test
    void dialectSqlCalciteCannotParseStillRunsAndIsReportedOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(warehouse().isDuckDb(), "SELECT * EXCLUDE is DuckDB's dialect");
        CliHarness p = copy("shop");
        p.write("models/marts/slim_customers.sql", "select * exclude (last_name) from {{ ref('stg_customers') }}\n");
        p.write("models/marts/slim_orders.sql", "select * exclude (status) from {{ ref('orders') }}\n");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        long notes = r.out().lines().filter(l -> l.contains("Calcite could not parse")).count();
        assertEquals(1, notes, r.out());
        assertTrue(r.out().contains("slim_customers, slim_orders") || r.out().contains("slim_orders, slim_customers"), r.out());
        assertEquals(6L, p.count("main.slim_customers"));
        assertEquals(3L, ((Number) p.scalar("select count(*) from information_schema.columns where table_name = 'slim_customers'")).longValue());
    }
}
