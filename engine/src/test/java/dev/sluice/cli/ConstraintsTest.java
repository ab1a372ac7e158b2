package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's constraints tests (tests/adapter/constraints) ported: column and model-level constraints
 * of an enforced contract are created in the table's DDL, the warehouse rejects rows that violate them, and a
 * violating build fails leaving the previous table. Each constraint is checked the way a user would: by
 * writing a row that breaks it straight into the built table.
 */
class ConstraintsTest extends ProjectTest {

    private static final String FOREIGN_KEY_MODEL = "{{ config(materialized = 'table') }}\nselect 1 as id\n";
    private static final String MY_MODEL_DEPENDS_ON_FK = """
            {{ config(materialized = "table") }}

            -- depends_on: {{ ref('foreign_key_model') }}

            select
              'blue' as color,
              1 as id,
              '2019-01-01' as date_day
            """;
    private static final String FK_MODEL_YAML = """
              - name: foreign_key_model
                config:
                  contract:
                    enforced: true
                columns:
                  - name: id
                    data_type: integer
                    constraints:
                      - type: unique
                      - type: primary_key
            """;

    /** BaseConstraintsRuntimeDdlEnforcement: column-level constraints, a foreign key with to: ref(...). */
    @Test
    void columnConstraintsAreCreatedAndEnforced() {
        CliHarness p = copy("shop");
        p.write("models/c/foreign_key_model.sql", FOREIGN_KEY_MODEL);
        p.write("models/c/my_model.sql", MY_MODEL_DEPENDS_ON_FK);
        p.write("models/c/constraints_schema.yml", """
                version: 2
                models:
                  - name: my_model
                    config:
                      contract:
                        enforced: true
                    columns:
                      - name: id
                        data_type: integer
                        description: hello
                        constraints:
                          - type: not_null
                          - type: primary_key
                          - type: check
                            expression: (id > 0)
                          - type: check
                            expression: id >= 1
                          - type: foreign_key
                            to: ref('foreign_key_model')
                            to_columns: ["id"]
                          - type: unique
                        data_tests:
                          - unique
                      - name: color
                        data_type: text
                      - name: date_day
                        data_type: text
                """ + FK_MODEL_YAML);
        CliHarness.Result r = p.run("run", "-s", "+my_model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.my_model"));
        assertEquals("blue", p.scalar("select color from main.my_model where id = 1"));
        // The declared column order wins over the query's (dbt enforces the YAML order).
        assertEquals("id", p.query("select * from main.my_model").get(0).keySet().iterator().next().toLowerCase());

        // Each constraint is in the table: the warehouse rejects a row that breaks it.
        rejected(p, "insert into main.my_model (id, color, date_day) values (null, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, color, date_day) values (1, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, color, date_day) values (-1, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, color, date_day) values (2, 'red', 'x')"); // not in foreign_key_model
        execute(p, "insert into main.foreign_key_model (id) values (2)");
        execute(p, "insert into main.my_model (id, color, date_day) values (2, 'red', 'x')");
        assertEquals(2L, p.count("main.my_model"));

        // to: ref(...) is a dependency of the model, as in dbt 1.9+.
        JsonNode node = manifest(p).path("nodes").path("model.shop.my_model");
        assertTrue(node.path("depends_on").path("nodes").toString().contains("model.shop.foreign_key_model"), node.toString());
        JsonNode id = node.path("columns").path("id").path("constraints");
        assertEquals(6, id.size(), id.toString());
        assertEquals("foreign_key", id.get(4).path("type").asText());
        assertEquals("ref('foreign_key_model')", id.get(4).path("to").asText());
        assertTrue(node.path("config").path("contract").path("enforced").asBoolean());
        assertFalse(r.out().contains("is not supported"), r.out());
    }

    /** BaseModelConstraintsRuntimeEnforcement: model-level constraints, named, and a foreign key by expression. */
    @Test
    void modelLevelConstraintsAreCreatedAndEnforced() {
        CliHarness p = copy("shop");
        p.write("models/c/foreign_key_model.sql", FOREIGN_KEY_MODEL);
        p.write("models/c/my_model.sql", MY_MODEL_DEPENDS_ON_FK);
        p.write("models/c/constraints_schema.yml", """
                version: 2
                models:
                  - name: my_model
                    config:
                      contract:
                        enforced: true
                    constraints:
                      - type: check
                        expression: (id > 0)
                      - type: check
                        expression: id >= 1
                      - type: primary_key
                        columns: [ id ]
                      - type: unique
                        columns: [ color, date_day ]
                        name: strange_uniqueness_requirement
                      - type: foreign_key
                        columns: [ id ]
                        expression: main.foreign_key_model (id)
                    columns:
                      - name: id
                        data_type: integer
                        description: hello
                        constraints:
                          - type: not_null
                      - name: color
                        data_type: text
                      - name: date_day
                        data_type: text
                """ + FK_MODEL_YAML);
        CliHarness.Result r = p.run("run", "-s", "+my_model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.my_model"));
        rejected(p, "insert into main.my_model (id, color, date_day) values (null, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, color, date_day) values (0, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, color, date_day) values (1, 'red', 'x')");
        execute(p, "insert into main.foreign_key_model (id) values (2)");
        rejected(p, "insert into main.my_model (id, color, date_day) values (2, 'blue', '2019-01-01')"); // (color, date_day)
        rejected(p, "insert into main.my_model (id, color, date_day) values (3, 'red', 'x')"); // not in foreign_key_model
        execute(p, "insert into main.my_model (id, color, date_day) values (2, 'red', 'x')");
        JsonNode node = manifest(p).path("nodes").path("model.shop.my_model");
        assertEquals(5, node.path("constraints").size(), node.toString());
        assertEquals("strange_uniqueness_requirement", node.path("constraints").get(3).path("name").asText());
        assertTrue(node.path("config").path("constraints").isMissingNode(), "constraints are the node's, not its config's");

        // A second build replaces the table with its named constraint again.
        r = p.run("run", "-s", "my_model", "--no-skip-unchanged");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.my_model"));
    }

    /** BaseConstraintsRollback and BaseIncrementalConstraintsRollback: a violating build leaves the old table. */
    @Test
    void aViolatingBuildFailsAndLeavesThePreviousTable() {
        for (String materialized : new String[] {"table", "incremental"}) {
            CliHarness p = CliHarness.copyOf("shop", tmp.resolve(materialized), warehouse());
            String model = "{{ config(materialized = '" + materialized + "') }}\n"
                    + "select 1 as id, 'blue' as color, '2019-01-01' as date_day\n";
            p.write("models/c/my_model.sql", model);
            p.write("models/c/constraints_schema.yml", """
                    version: 2
                    models:
                      - name: my_model
                        config:
                          contract:
                            enforced: true
                        columns:
                          - name: id
                            data_type: integer
                            constraints:
                              - type: not_null
                              - type: primary_key
                              - type: check
                                expression: (id > 0)
                          - name: color
                            data_type: text
                          - name: date_day
                            data_type: text
                    """);
            CliHarness.Result r = p.run("run", "-s", "my_model");
            assertEquals(0, r.exitCode(), r.all());

            p.write("models/c/my_model.sql", model.replace("select 1 as id, 'blue'", "select null as id, 'red'")
                    .replace("null as id", "cast(null as integer) as id"));
            r = p.run("run", "-s", "my_model");
            assertEquals(1, r.exitCode(), materialized + ": " + r.all());
            String out = r.out().toLowerCase();
            assertTrue(out.contains("not null") || out.contains("not-null"), r.out());
            assertEquals(1L, p.count("main.my_model"), materialized + ": the previous table is left");
            assertEquals("blue", p.scalar("select color from main.my_model"));

            if (materialized.equals("incremental")) {
                // A merge that would break the primary key fails too, and changes nothing.
                p.write("models/c/my_model.sql", "{{ config(materialized = 'incremental', incremental_strategy = 'append') }}\n"
                        + "select 1 as id, 'green' as color, '2019-01-02' as date_day\n");
                r = p.run("run", "-s", "my_model");
                assertEquals(1, r.exitCode(), r.all());
                assertEquals(1L, p.count("main.my_model"));
                assertEquals("blue", p.scalar("select color from main.my_model"));
            }
        }
    }

    /** BaseConstraintQuotedColumn: a column declared with quote: true keeps its quoted name in the DDL. */
    @Test
    void aQuotedColumnTakesConstraints() {
        CliHarness p = copy("shop");
        p.write("models/c/my_model.sql", """
                {{ config(materialized = "table") }}
                select
                  'blue' as "from",
                  1 as id,
                  '2019-01-01' as date_day
                """);
        p.write("models/c/constraints_schema.yml", """
                version: 2
                models:
                  - name: my_model
                    config:
                      contract:
                        enforced: true
                    constraints:
                      - type: check
                        expression: ("from" = 'blue')
                        columns: [ '"from"' ]
                    columns:
                      - name: id
                        data_type: integer
                        description: hello
                        constraints:
                          - type: not_null
                      - name: from
                        data_type: text
                        quote: true
                        constraints:
                          - type: not_null
                      - name: date_day
                        data_type: text
                """);
        CliHarness.Result r = p.run("run", "-s", "my_model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("blue", p.scalar("select \"from\" from main.my_model"));
        rejected(p, "insert into main.my_model (id, \"from\", date_day) values (2, 'red', 'x')");
        rejected(p, "insert into main.my_model (id, \"from\", date_day) values (2, null, 'x')");
    }

    /** BaseIncrementalForeignKeyConstraint: an incremental model with a foreign key builds, then merges. */
    @Test
    void anIncrementalModelWithAForeignKeyRunsTwice() {
        CliHarness p = copy("shop");
        p.write("models/c/schema.yml", """
                version: 2

                models:
                  - name: raw_numbers
                    config:
                      contract:
                        enforced: true
                      materialized: table
                    columns:
                        - name: n
                          data_type: integer
                          constraints:
                            - type: primary_key
                            - type: not_null
                  - name: stg_numbers
                    config:
                      contract:
                        enforced: true
                      materialized: incremental
                      on_schema_change: append_new_columns
                      unique_key: n
                    columns:
                      - name: n
                        data_type: integer
                        constraints:
                          - type: foreign_key
                            expression: main.raw_numbers (n)
                """);
        p.write("models/c/raw_numbers.sql", "select 1 as n\n");
        p.write("models/c/stg_numbers.sql", "select * from {{ ref('raw_numbers') }}\n");
        assertEquals(0, p.run("run", "--select", "raw_numbers").exitCode());
        CliHarness.Result r = p.run("run", "--select", "stg_numbers");
        assertEquals(0, r.exitCode(), r.all());
        r = p.run("run", "--select", "stg_numbers");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.stg_numbers"));
        rejected(p, "insert into main.stg_numbers (n) values (5)");
    }

    /** dbt's warnings, and this engine's for constraints that cannot take effect; bad entries are errors. */
    @Test
    void constraintsThatCannotApplyWarnAndBadOnesAreErrors() {
        CliHarness p = copy("shop");
        p.write("models/c/my_view.sql", "select 1 as id\n");
        p.write("models/c/my_table.sql", "{{ config(materialized='table') }}\nselect 1 as id\n");
        p.write("models/c/schema.yml", """
                version: 2
                models:
                  - name: my_view
                    config:
                      contract: {enforced: true}
                    columns:
                      - name: id
                        data_type: integer
                        constraints: [{type: not_null}]
                  - name: my_table
                    columns:
                      - name: id
                        data_type: integer
                        constraints: [{type: not_null}]
                """);
        CliHarness.Result r = p.run("run", "-s", "my_view", "my_table");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("models/c/schema.yml:9: model 'my_view' is materialized as view; only tables and "
                + "incremental models get constraints"), r.out());
        assertTrue(r.out().contains("models/c/schema.yml:14: the constraints of model 'my_table' are created only with "
                + "contract: {enforced: true}"), r.out());
        execute(p, "insert into main.my_table (id) values (null)"); // no contract: no constraint

        p.write("models/c/schema.yml", """
                version: 2
                models:
                  - name: my_table
                    config:
                      contract: {enforced: true}
                    columns:
                      - name: id
                        data_type: integer
                        constraints:
                          - type: not_nul
                """);
        r = p.run("run", "-s", "my_table");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/c/schema.yml:10") && r.all().contains("unknown constraint type 'not_nul'")
                && r.all().contains("did you mean 'not_null'"), r.all());

        p.write("models/c/schema.yml", """
                version: 2
                models:
                  - name: my_table
                    config:
                      contract: {enforced: true}
                    constraints:
                      - type: primary_key
                    columns:
                      - name: id
                        data_type: integer
                """);
        r = p.run("run", "-s", "my_table");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/c/schema.yml:7") && r.all().contains("needs columns"), r.all());

        p.write("models/c/schema.yml", """
                version: 2
                models:
                  - name: my_table
                    config:
                      contract: {enforced: true}
                    columns:
                      - name: id
                        data_type: integer
                        constraints:
                          - type: foreign_key
                            to: ref('nowhere')
                            to_columns: [id]
                """);
        r = p.run("run", "-s", "my_table");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("'nowhere'"), r.all());
    }

    private static void execute(CliHarness p, String sql) {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void rejected(CliHarness p, String sql) {
        SQLException failed = null;
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            failed = e;
        }
        assertNotNull(failed, "the warehouse accepted a row that breaks a constraint: " + sql);
    }

    private static JsonNode manifest(CliHarness p) {
        try {
            return new ObjectMapper().readTree(p.read("target/manifest.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
