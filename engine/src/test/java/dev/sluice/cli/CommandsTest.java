package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compile, ls with selection, test options, debug and clean as a user runs them. */
class CommandsTest extends ProjectTest {

    private static List<String> lines(CliHarness.Result r) {
        return r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void lsSelectionSyntax() {
        CliHarness p = copy("shop");
        assertEquals(List.of("customers"), lines(p.run("ls", "-s", "customers", "--resource-type", "model", "--output", "name")));
        assertEquals(List.of("customers", "orders"), lines(p.run("ls", "-s", "orders+", "--resource-type", "model", "-o", "name")));
        assertEquals(List.of("orders", "raw_orders", "raw_payments", "stg_orders", "stg_payments"),
                lines(p.run("ls", "-s", "+orders", "--exclude", "resource_type:test", "-o", "name")));
        assertEquals(List.of("orders", "stg_orders"),
                lines(p.run("ls", "-s", "1+orders", "--exclude", "resource_type:test", "stg_payments", "-o", "name")));
        assertEquals(List.of("stg_customers", "stg_orders", "stg_payments"),
                lines(p.run("ls", "-s", "tag:staging", "--resource-type", "model", "-o", "name")));
        assertEquals(List.of("customers", "orders"),
                lines(p.run("ls", "-s", "path:models/marts", "--resource-type", "model", "-o", "name")));
        assertEquals(List.of("customers"),
                lines(p.run("ls", "-s", "tag:marts,tag:core", "--resource-type", "model", "-o", "name")));
        assertEquals(List.of("stg_customers", "stg_orders"),
                lines(p.run("ls", "-s", "staging", "--exclude", "stg_payments", "--resource-type", "model", "-o", "name")));
        assertEquals(List.of("shop.marts.customers"), lines(p.run("ls", "-s", "config.tags:core", "--resource-type", "model")));
        List<String> tests = lines(p.run("ls", "-s", "customers", "--resource-type", "test", "-o", "name"));
        assertTrue(tests.contains("unique_customers_customer_id"), tests.toString());
        assertTrue(tests.contains("relationships_orders_customer_id__customer_id__ref_customers_"), tests.toString());
        assertTrue(tests.stream().anyMatch(t -> t.startsWith("is_positive_customers_")), tests.toString());
        // As dbt, test_name: picks generic tests by the test they apply, whatever the model.
        List<String> unique = lines(p.run("ls", "-s", "test_name:unique", "-o", "name"));
        assertTrue(unique.contains("unique_customers_customer_id"), unique.toString());
        assertTrue(unique.stream().allMatch(t -> t.startsWith("unique_")), unique.toString());
    }

    @Test
    void runWithSelectionBuildsOnlyThat() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "-s", "+orders");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("table", p.relationType("main", "orders"));
        assertEquals(null, p.relationType("main", "customers"));
        assertEquals(null, p.relationType("main", "stg_customers"));
        r = p.run("run", "-s", "orders+", "stg_customers");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("table", p.relationType("main", "customers"));
        assertTrue(r.out().contains("2 table models"), r.out());
    }

    @Test
    void testCommandSeverityThresholdsAndStoreFailures() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build").exitCode());
        p.write("models/staging/schema.yml", """
                version: 2
                models:
                  - name: stg_orders
                    columns:
                      - name: status
                        tests:
                          - accepted_values:
                              values: ['placed', 'completed']
                              config:
                                severity: warn
                          - accepted_values:
                              name: status_mostly_known
                              values: ['placed', 'completed', 'shipped']
                              config:
                                error_if: ">5"
                                warn_if: ">1"
                """);
        CliHarness.Result r = p.run("test", "-s", "stg_orders", "--store-failures");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("WARN 3 accepted_values_stg_orders_status__placed__completed"), r.out());
        assertTrue(r.out().contains("WARN 2 status_mostly_known"), r.out());
        assertEquals(3L, p.count("main_dbt_test__audit.accepted_values_stg_orders_status__placed__completed"));
        p.write("models/staging/schema.yml", p.read("models/staging/schema.yml").replace("error_if: \">5\"", "error_if: \">=2\""));
        r = p.run("test", "-s", "stg_orders");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 2 status_mostly_known"), r.out());
    }

    @Test
    void singularAndCustomGenericTestsCanFail() {
        CliHarness p = copy("shop");
        p.write("tests/no_returned_orders.sql", "select * from {{ ref('stg_orders') }} where status = 'returned'\n");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 1 no_returned_orders"), r.out());
        // A project's own {% test not_null %} replaces the built-in one.
        p.delete("tests/no_returned_orders.sql");
        p.write("macros/not_null.sql", "{% test not_null(model, column_name) %}\nselect 1 as always_fails\n{% endtest %}\n");
        r = p.run("test", "-s", "customers");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("FAIL 1 not_null_customers_customer_id"), r.out());
    }

    @Test
    void compileWritesSqlAndShowsOneModel() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("compile", "-s", "stg_orders");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("from \"main\".\"raw_orders\""), r.out());
        assertTrue(Files.exists(p.dir.resolve("target/compiled/shop/models/marts/customers.sql")));
        assertTrue(Files.exists(p.dir.resolve("target/manifest.json")));
    }

    @Test
    void debugAndClean() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("debug");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("All checks passed!"), r.out());
        assertEquals(0, p.run("compile").exitCode());
        assertTrue(Files.exists(p.dir.resolve("target")));
        r = p.run("clean");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(Files.exists(p.dir.resolve("target")));
    }

    @Test
    void debugReportsUnreachableWarehouseWithoutSecrets() {
        CliHarness p = copy("shop");
        p.write("profiles.yml", """
                shop:
                  target: pg
                  outputs:
                    pg:
                      type: postgres
                      host: 127.0.0.1
                      port: 1
                      user: nobody
                      password: "{{ env_var('SLUICE_TEST_NO_SUCH_VAR', 's3cr3t-value') }}"
                      dbname: nothing
                      schema: public
                """);
        CliHarness.Result r = p.run("debug");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("cannot connect to postgres nobody@127.0.0.1:1/nothing"), r.err());
        assertFalse(r.all().contains("s3cr3t-value"), r.all());
    }

    @Test
    void nativeProjectFileWithoutProfileUsesEmbeddedDuckDb() {
        org.junit.jupiter.api.Assumptions.assumeTrue(warehouse().isDuckDb(), "about the embedded default");
        CliHarness p = copy("shop");
        p.delete("profiles.yml");
        p.write("project.yml", p.read("dbt_project.yml"));
        p.delete("dbt_project.yml");
        CliHarness.Result r = p.run("build", "--profiles-dir", tmp.resolve("nowhere").toString());
        assertEquals(2, r.exitCode(), "an explicit --profiles-dir must exist: " + r.all());
        // With no profiles.yml anywhere the project runs on target/<name>.duckdb.
        // (The harness passes --profiles-dir; run Main directly here.)
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = Main.run(new String[]{"build", "--project-dir", p.dir.toString()}, new java.io.PrintStream(out), new java.io.PrintStream(out));
        if (!Files.exists(Path.of(System.getProperty("user.home"), ".dbt", "profiles.yml")) && !Files.exists(Path.of("profiles.yml"))) {
            assertEquals(0, code, out.toString());
            assertTrue(Files.exists(p.dir.resolve("target/shop.duckdb")));
        }
    }
}
