package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logs/engine.log has every statement the engine sends at debug, secrets masked: model DDL, the warehouse's
 * syntax checks and bulk loads (prepared statements, PREPARE, COPY), and an activation export's query and its
 * Parquet writing. Also: ref() inside a run-operation macro resolves to the model's relation.
 */
class SqlLogTest extends ProjectTest {
    private static final String TOKEN = "tok-literal-Qw83Lz5X";

    @Test
    void everyStatementIsLoggedWithSecretsMasked() throws Exception {
        CliHarness p = copy("shop");
        p.write("profiles.yml", p.read("profiles.yml") + "      token: " + TOKEN + "\n");
        p.write("models/marts/tokened.sql", "select '" + TOKEN + "' as t, 1 as id\n");
        // SQL the warehouse accepts and Calcite does not parse: the warehouse is asked to check its syntax.
        p.write("models/marts/dialect_only.sql", warehouse().isDuckDb() ? "select {'a': 1} as s\n"
                : "select array[1,2] @> array[1] as c\n");
        p.write("models/marts/exports.yml", """
                version: 2
                operators:
                  - name: customers_parquet
                    type: export_file
                    sql: "select /* export-query */ customer_id from {{ ref('customers') }}"
                    config:
                      path: audiences/customers.parquet
                """);
        CliHarness.Result seeded = p.run("seed");
        assertEquals(0, seeded.exitCode(), seeded.all());
        CliHarness.Result r = p.run("run");
        assertEquals(0, r.exitCode(), r.all());
        String log = Files.readString(p.dir.resolve("logs/engine.log"));
        assertTrue(log.contains("select /* export-query */ customer_id from"), "the export's query");
        assertTrue(log.contains("copy export_rows to"), "the Parquet copy of the export");
        assertTrue(log.contains("create table export_rows"), "the Parquet staging table");
        if (warehouse().isDuckDb()) {
            assertTrue(log.contains("json_serialize_sql(?::varchar)") && log.contains("-- bindings: [select"), "syntax checks with their bindings");
        } else {
            assertTrue(log.contains("prepare sluice_syntax_check as"), "PostgreSQL's syntax check");
            assertTrue(log.contains("deallocate sluice_syntax_check"), "and its clean-up");
            assertTrue(log.toLowerCase().contains("from stdin"), "the seeds' COPY");
        }
        assertTrue(log.contains("select table_name, table_type from information_schema.tables where table_schema = ? -- bindings: [main"),
                "the relation listing with its schema");
        assertTrue(log.contains("as t, 1 as id"), "the model with the token was logged");
        assertFalse(log.contains(TOKEN), "the token is masked in the log");
    }

    @Test
    void refWorksInsideRunOperation() {
        CliHarness p = copy("shop");
        p.write("macros/count_customers.sql", """
                {% macro count_customers(status) %}
                  {% set sql %}
                    select count(*) as n from {{ ref('customers') }}
                  {% endset %}
                  {% set r = run_query(sql) %}
                  {{ log('customers in ' ~ ref('customers') ~ ': ' ~ r.columns[0].values()[0], info=True) }}
                {% endmacro %}
                """);
        CliHarness.Result seeded = p.run("seed");
        assertEquals(0, seeded.exitCode(), seeded.all());
        CliHarness.Result ran = p.run("run");
        assertEquals(0, ran.exitCode(), ran.all());
        long expected = ((Number) p.query("select count(*) as n from main.customers").get(0).get("n")).longValue();
        assertTrue(expected > 0);
        CliHarness.Result r = p.run("run-operation", "count_customers");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.matches(".*customers in .*customers.*: " + expected + "\\s*")), r.out());
    }
}
