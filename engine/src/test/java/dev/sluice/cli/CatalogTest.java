package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs generate writes target/catalog.json in dbt's catalog v1 shape: the relations that exist, with their
 * columns and the types the warehouse reports (checked here against information_schema, queried directly).
 */
class CatalogTest extends ProjectTest {

    @Test
    void catalogHoldsBuiltRelationsWithWarehouseColumnTypes() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/staging/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    schema: "{{ target.schema }}"
                    tables:
                      - name: raw_orders
                      - name: not_there
                """);
        assertEquals(0, p.run("build").exitCode());
        // Never built: a catalog lists what the warehouse has, not what the project declares.
        p.write("models/marts/never_built.sql", "select 1 as one\n");
        CliHarness.Result r = p.run("docs", "generate");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Catalog of 7 nodes and 1 sources written to target/catalog.json"), r.out());

        JsonNode catalog = new ObjectMapper().readTree(p.read("target/catalog.json"));
        assertEquals(Set.of("metadata", "nodes", "sources", "errors"), names(catalog));
        JsonNode md = catalog.get("metadata");
        assertEquals(Set.of("dbt_schema_version", "dbt_version", "generated_at", "invocation_id", "env"), names(md));
        assertEquals("https://schemas.getdbt.com/dbt/catalog/v1.json", md.get("dbt_schema_version").asText());
        assertTrue(catalog.get("errors").isNull());
        // Seeds, views and tables; not the ephemeral stg_payments, not the model never built.
        assertEquals(new TreeSet<>(List.of("seed.shop.raw_customers", "seed.shop.raw_orders", "seed.shop.raw_payments",
                        "model.shop.stg_customers", "model.shop.stg_orders", "model.shop.orders", "model.shop.customers")),
                new TreeSet<>(names(catalog.get("nodes"))));
        assertEquals(Set.of("source.shop.raw.raw_orders"), names(catalog.get("sources")));

        JsonNode customers = catalog.get("nodes").get("model.shop.customers");
        assertEquals(Set.of("metadata", "columns", "stats", "unique_id"), names(customers));
        assertEquals("BASE TABLE", customers.get("metadata").get("type").asText());
        assertEquals("main", customers.get("metadata").get("schema").asText());
        assertEquals("customers", customers.get("metadata").get("name").asText());
        assertEquals("model.shop.customers", customers.get("unique_id").asText());
        assertEquals("VIEW", catalog.get("nodes").get("model.shop.stg_orders").get("metadata").get("type").asText());
        JsonNode stats = customers.get("stats").get("has_stats");
        assertEquals(false, stats.get("value").asBoolean(true));
        assertEquals(false, stats.get("include").asBoolean(true));

        for (String[] rel : new String[][] {{"nodes", "model.shop.customers", "customers"},
                {"nodes", "model.shop.stg_orders", "stg_orders"}, {"sources", "source.shop.raw.raw_orders", "raw_orders"}}) {
            List<String> expected = new ArrayList<>();
            for (Map<String, Object> row : p.query("select column_name, data_type from information_schema.columns "
                    + "where table_schema = 'main' and table_name = '" + rel[2] + "' order by ordinal_position")) {
                expected.add(expected.size() + 1 + " " + row.get("column_name") + " " + row.get("data_type"));
            }
            List<String> actual = new ArrayList<>();
            catalog.get(rel[0]).get(rel[1]).get("columns").forEach(c -> {
                assertEquals(Set.of("type", "index", "name", "comment"), names(c));
                actual.add(c.get("index").asInt() + " " + c.get("name").asText() + " " + c.get("type").asText());
            });
            assertTrue(!expected.isEmpty());
            assertEquals(expected, actual, rel[1]);
        }
        // The seed's columns are its header's.
        String header = p.read("seeds/raw_orders.csv").lines().findFirst().orElseThrow();
        List<String> seedColumns = new ArrayList<>();
        catalog.get("nodes").get("seed.shop.raw_orders").get("columns").fieldNames().forEachRemaining(seedColumns::add);
        assertEquals(List.of(header.split(",")), seedColumns);

        CliHarness.Result empty = p.run("docs", "generate", "--empty-catalog");
        assertEquals(0, empty.exitCode(), empty.all());
        JsonNode none = new ObjectMapper().readTree(p.read("target/catalog.json"));
        assertEquals(0, none.get("nodes").size());
        assertEquals(0, none.get("sources").size());
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
