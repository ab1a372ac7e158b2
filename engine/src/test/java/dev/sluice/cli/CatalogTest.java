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
            for (Map<String, Object> row : p.query(columnsSql(p, rel[2]))) {
                expected.add(row.get("pos") + " " + row.get("column_name") + " " + row.get("data_type"));
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

    /**
     * Comments from persist_docs and from a user's own COMMENT ON, and owners, as dbt-postgres and dbt-duckdb
     * report them, each checked against the warehouse's own functions (obj_description, pg_tables,
     * duckdb_tables); type modifiers (varchar(12), numeric(9,2)) kept as PostgreSQL's format_type gives them.
     */
    @Test
    void catalogHasCommentsOwnersAndTypeModifiers() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/marts/typed.sql", "select cast('a' as varchar(12)) as code, cast(1.5 as numeric(9,2)) as price\n");
        p.write("models/marts/typed.yml", """
                version: 2
                models:
                  - name: typed
                    description: Typed 'codes' -- with quotes
                    config:
                      persist_docs: {relation: true, columns: true}
                    columns:
                      - name: code
                        description: The code.
                """);
        assertEquals(0, p.run("build").exitCode());
        // A comment the user set by hand on a view the project built: dbt reads whatever the warehouse holds.
        p.execute("comment on view main.stg_orders is 'set by hand'");
        CliHarness.Result r = p.run("docs", "generate");
        assertEquals(0, r.exitCode(), r.all());
        JsonNode nodes = new ObjectMapper().readTree(p.read("target/catalog.json")).get("nodes");

        JsonNode typed = nodes.get("model.shop.typed");
        assertEquals("Typed 'codes' -- with quotes", typed.get("metadata").get("comment").asText());
        assertEquals(tableComment(p, "typed"), typed.get("metadata").get("comment").asText());
        assertEquals("The code.", typed.get("columns").get("code").get("comment").asText());
        assertTrue(typed.get("columns").get("price").get("comment").isNull(), typed.toString());
        assertEquals("set by hand", nodes.get("model.shop.stg_orders").get("metadata").get("comment").asText());
        assertEquals(tableComment(p, "stg_orders"), nodes.get("model.shop.stg_orders").get("metadata").get("comment").asText());
        // No description, no persist_docs: null, as dbt writes it.
        assertTrue(nodes.get("model.shop.customers").get("metadata").get("comment").isNull());

        List<String> typedColumns = new ArrayList<>();
        typed.get("columns").forEach(c -> typedColumns.add(c.get("name").asText() + " " + c.get("type").asText()));
        if (p.warehouse.isDuckDb()) {
            assertEquals(List.of("code VARCHAR", "price DECIMAL(9,2)"), typedColumns);
            // DuckDB has no owners; dbt-duckdb writes null.
            nodes.forEach(n -> assertTrue(n.get("metadata").get("owner").isNull(), n.toString()));
        } else {
            assertEquals(List.of("code character varying(12)", "price numeric(9,2)"), typedColumns);
            Object tableOwner = p.scalar("select tableowner from pg_tables where schemaname = 'main' and tablename = 'typed'");
            Object viewOwner = p.scalar("select viewowner from pg_views where schemaname = 'main' and viewname = 'stg_orders'");
            assertEquals(tableOwner, typed.get("metadata").get("owner").asText());
            assertEquals(viewOwner, nodes.get("model.shop.stg_orders").get("metadata").get("owner").asText());
            assertEquals(p.scalar("select current_user"), tableOwner);
        }
    }

    /** The relation's comment as the warehouse's own functions read it. */
    private static Object tableComment(CliHarness p, String name) {
        return p.warehouse.isDuckDb()
                ? p.scalar("select comment from duckdb_tables() where schema_name = 'main' and table_name = '" + name + "' union all "
                + "select comment from duckdb_views() where schema_name = 'main' and view_name = '" + name + "'")
                : p.scalar("select obj_description('main." + name + "'::regclass, 'pg_class')");
    }

    /** A relation's columns with position and type: information_schema on DuckDB, format_type on PostgreSQL. */
    private static String columnsSql(CliHarness p, String name) {
        return p.warehouse.isDuckDb()
                ? "select ordinal_position as pos, column_name, data_type from information_schema.columns "
                + "where table_schema = 'main' and table_name = '" + name + "' order by ordinal_position"
                : "select a.attnum as pos, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as data_type "
                + "from pg_attribute a where a.attrelid = 'main." + name + "'::regclass and a.attnum > 0 "
                + "and not a.attisdropped order by a.attnum";
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
