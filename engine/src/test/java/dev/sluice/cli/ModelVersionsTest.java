package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's model versions through the CLI: one relation per version (name_v1, name_v2), ref('m') the latest version,
 * ref('m', v=1) / version=1 a given one, columns kept per version with include/exclude, and a passed
 * deprecation_date warned about.
 */
class ModelVersionsTest extends ProjectTest {

    @Test
    void eachVersionIsARelationAndRefFindsTheLatest() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/v/dim_items_v1.sql", "select 1 as id, 'old' as label, 10 as price\n");
        p.write("models/v/dim_items_v2.sql", "select 1 as id, 'new' as label\n");
        p.write("models/v/latest_user.sql", "select label from {{ ref('dim_items') }}\n");
        p.write("models/v/old_user.sql", "select label, price from {{ ref('dim_items', v=1) }}\n");
        p.write("models/v/old_user_kw.sql", "select label from {{ ref('dim_items', version='1') }}\n");
        p.write("models/v/schema.yml", """
                version: 2
                models:
                  - name: dim_items
                    latest_version: 2
                    columns:
                      - name: id
                        data_tests: [unique]
                      - name: label
                      - name: price
                    versions:
                      - v: 1
                        deprecation_date: 2020-01-01
                      - v: 2
                        columns:
                          - include: all
                            exclude: [price]
                """);
        CliHarness.Result r = p.run("build", "-s", "+latest_user", "+old_user", "+old_user_kw");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.out().contains("is not supported by this engine"), r.out());
        assertTrue(r.out().contains("model 'dim_items v1' has passed its deprecation date, 2020-01-01"), r.out());
        assertEquals("new", p.scalar("select label from main.latest_user"));
        assertEquals("old", p.scalar("select label from main.old_user"));
        assertEquals("old", p.scalar("select label from main.old_user_kw"));
        assertEquals(10, ((Number) p.scalar("select price from main.dim_items_v1")).intValue());
        assertEquals("new", p.scalar("select label from main.dim_items_v2"));
        // No automatic alias for the latest version, as in dbt.
        assertEquals(null, p.relationType("main", "dim_items"));

        JsonNode nodes = new ObjectMapper().readTree(p.read("target/manifest.json")).path("nodes");
        JsonNode v2 = nodes.path("model.shop.dim_items.v2");
        assertEquals("2", v2.path("version").asText());
        assertEquals("2", v2.path("latest_version").asText());
        assertEquals("dim_items_v2", v2.path("alias").asText());
        assertTrue(v2.path("columns").has("label") && !v2.path("columns").has("price"), v2.path("columns").toString());
        assertTrue(nodes.path("model.shop.dim_items.v1").path("columns").has("price"));
        assertTrue(nodes.path("model.shop.latest_user").path("depends_on").path("nodes").toString().contains("model.shop.dim_items.v2"));
        assertTrue(nodes.path("model.shop.old_user").path("depends_on").path("nodes").toString().contains("model.shop.dim_items.v1"));

        // Selecting the name selects every version; a missing version is an error naming it.
        r = p.run("ls", "-s", "dim_items", "--resource-type", "model");
        assertTrue(r.out().contains("shop.v.dim_items.v1") && r.out().contains("shop.v.dim_items.v2"), r.out());
        p.write("models/v/old_user.sql", "select label from {{ ref('dim_items', v=3) }}\n");
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("refers to version 3 of model 'dim_items', which has no such version"), r.all());
        p.write("models/v/old_user.sql", "select 1 as x\n");
        p.write("models/v/schema.yml", """
                version: 2
                models:
                  - name: dim_items
                    versions:
                      - v: 1
                      - v: 2
                      - v: 3
                """);
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/v/schema.yml:7") && r.all().contains("dim_items_v3.sql"), r.all());
    }
    /**
     * A version's own data_tests replace the model's for that version, as dbt's get_tests_for_version does; a
     * version without them gets the model's. Each test runs against its version's relation.
     */
    @Test
    void aVersionsOwnTestsReplaceTheModels() {
        CliHarness p = copy("shop");
        p.write("tests/generic/row_count_is.sql", """
                {% test row_count_is(model, n) %}
                select 1 as failure where (select count(*) from {{ model }}) != {{ n }}
                {% endtest %}
                """);
        p.write("models/v/counted_v1.sql", "select 1 as id\n");
        p.write("models/v/counted_v2.sql", "select 1 as id union all select 2\n");
        p.write("models/v/schema.yml", """
                version: 2
                models:
                  - name: counted
                    latest_version: 2
                    data_tests:
                      - row_count_is: {n: 1}
                    versions:
                      - v: 1
                      - v: 2
                        data_tests:
                          - row_count_is: {n: 2}
                """);
        CliHarness.Result ls = p.run("ls", "--resource-type", "test", "-s", "counted", "--output", "name");
        assertEquals(0, ls.exitCode(), ls.all());
        assertEquals(2, ls.out().lines().filter(l -> l.startsWith("row_count_is_counted_v")).count(), ls.out());
        CliHarness.Result r = p.run("build", "-s", "counted");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Done. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4"), r.out());

        // The model's test on version 2 would fail: the version's own replaced it.
        p.write("models/v/schema.yml", p.read("models/v/schema.yml").replace("{n: 2}", "{n: 1}"));
        r = p.run("build", "-s", "counted");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 1 row_count_is_counted_v2_1"), r.out());
    }
}
