package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken projects: each gives exit 2 and one clear message naming the file and line, never a stack trace. */
class BadInputTest extends ProjectTest {

    private CliHarness.Result expectBadInput(CliHarness p, String... args) {
        CliHarness.Result r = p.run(args);
        assertEquals(2, r.exitCode(), r.all());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("Exception"), "no exception class names: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one message: " + r.err());
        return r;
    }

    @Test
    void badYamlNamesFileAndLine() {
        CliHarness p = copy("shop");
        p.write("models/marts/schema.yml", "version: 2\nmodels:\n  - name: customers\n    columns: [\n");
        CliHarness.Result r = expectBadInput(p, "build");
        assertTrue(r.err().contains("models/marts/schema.yml:"), r.err());
        assertTrue(r.err().contains("invalid YAML"), r.err());
    }

    @Test
    void wrongShapeInSchemaYamlNamesLine() {
        CliHarness p = copy("shop");
        p.write("models/marts/schema.yml", "version: 2\nmodels:\n  - name: customers\n    columns: 12\n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/schema.yml:4"), r.err());
        assertTrue(r.err().contains("columns must be a list"), r.err());
    }

    @Test
    void templateErrorNamesFileAndLine() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select 1 as a\nfrom x\nwhere {{ 1 + }}\n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/customers.sql:3"), r.err());
    }

    @Test
    void undefinedPackageOrNameIsAnErrorNotAnEmptyString() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select\n  {{ dbt_utils.generate_surrogate_key(['id']) }} as k\nfrom x\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/customers.sql:2"), r.err());
        assertTrue(r.err().contains("'dbt_utils' is undefined"), r.err());

        p.write("models/marts/customers.sql", "select 1 as a\n{% include 'x.sql' %}\n");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/customers.sql:2"), r.err());
        assertTrue(r.err().contains("{% include %} is not supported"), r.err());
    }

    @Test
    void sqlSyntaxErrorNamesFileAndLine() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select customer_id,\n  first_name\nfrom {{ ref('stg_customers') }}\nwhere where 1 = 1\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/customers.sql:4"), r.err());
        assertTrue(r.err().toLowerCase().contains("syntax error"), r.err());
    }

    @Test
    void aSyntaxErrorTheWarehouseGivesNoLineForIsPlacedAndExplainedByCalcite() {
        // DuckDB says only "syntax error at end of input": the position and the expected tokens are Calcite's.
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select customer_id\nfrom {{ ref('stg_customers') }} where\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/customers.sql:2:"), r.err());
        assertTrue(r.err().contains("Encountered \"where <EOF>\" at line 2"), r.err());
        assertTrue(r.err().contains("Expected one of: <EOF>"), r.err());
    }

    @Test
    void unknownRefNamesFileLineAndSuggestion() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "\nselect * from {{ ref('stg_customer') }}\n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/customers.sql:2"), r.err());
        assertTrue(r.err().contains("'stg_customer'"), r.err());
        assertTrue(r.err().contains("did you mean 'stg_customers'"), r.err());
    }

    @Test
    void cycleNamesTheModels() {
        CliHarness p = copy("shop");
        p.write("models/staging/stg_orders.sql", "select * from {{ ref('orders') }}\n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("dependency cycle"), r.err());
        assertTrue(r.err().contains("orders -> ") || r.err().contains("stg_orders -> "), r.err());
        assertTrue(r.err().contains("models/"), r.err());
    }

    @Test
    void missingVarAndBadVars() {
        CliHarness p = copy("shop");
        p.write("models/marts/customers.sql", "select {{ var('cutoff') }} as c\n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/customers.sql:1"), r.err());
        assertTrue(r.err().contains("cutoff"), r.err());
        assertEquals(0, p.run("compile", "--vars", "{cutoff: 5}").exitCode());
        r = expectBadInput(p, "run", "--vars", "[1, 2]");
        assertTrue(r.err().contains("--vars"), r.err());
    }

    @Test
    void badProfileAndTarget() {
        CliHarness p = copy("shop");
        CliHarness.Result r = expectBadInput(p, "run", "--target", "prod");
        assertTrue(r.err().contains("target 'prod'"), r.err());
        assertTrue(r.err().contains("profiles.yml"), r.err());
        p.write("profiles.yml", "other:\n  outputs: {}\n");
        r = expectBadInput(p, "run");
        assertTrue(r.err().contains("profile 'shop'"), r.err());
    }

    @Test
    void missingProjectFile() {
        CliHarness p = copy("shop");
        p.delete("dbt_project.yml");
        CliHarness.Result r = expectBadInput(p, "build");
        assertTrue(r.err().contains("no project.yml or dbt_project.yml"), r.err());
    }

    @Test
    void badCsvNamesLine() {
        CliHarness p = copy("shop");
        p.write("seeds/raw_orders.csv", "id,user_id,order_date,status\n1,1,2024-01-01,placed\n2,2\n");
        CliHarness.Result r = expectBadInput(p, "seed");
        assertTrue(r.err().contains("seeds/raw_orders.csv:3"), r.err());
        assertTrue(r.err().contains("fields"), r.err());
    }

    @Test
    void unknownMaterializationAndBadSelector() {
        CliHarness p = copy("shop");
        expectBadInput(p, "run", "-s", "bogus:thing");
        p.write("models/marts/customers.sql", "{{ config(materialized='magic') }}\nselect 1 as a\n");
        // As in dbt, a materialization that does not exist is an error of that model when it runs (see NodeErrorsTest).
        CliHarness.Result r = p.run("run");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("materialized='magic'"), r.out());
    }

    @Test
    void duplicateNamesUnknownTestsOperatorsAndBrokenMacros() {
        CliHarness p = copy("shop");
        p.write("models/marts/more/customers.sql", "select 1 as a\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("two resources are named 'customers'"), r.err());
        p.delete("models/marts/more/customers.sql");

        p.write("models/marts/extra.yml", "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: status\n"
                + "        tests: [no_such_test]\n");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("no_such_test"), r.err());
        p.delete("models/marts/extra.yml");

        p.write("models/marts/ops.yml", "version: 2\noperators:\n  - name: train\n    type: quantum_oracle\n"
                + "    outputs: [predictions]\n");
        r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/ops.yml:3"), r.err());
        assertTrue(r.err().contains("unknown operator type 'quantum_oracle'"), r.err());
        p.delete("models/marts/ops.yml");

        p.write("macros/broken.sql", "{% macro broken(x) %}\nselect {{ x }\n{% endmacro %}\n");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("macros/broken.sql:2"), r.err());
    }

    @Test
    void enabledInModelFileIsHonouredAndTypeChecked() {
        CliHarness p = copy("shop");
        p.write("models/marts/retired.sql", "{{ config(enabled=false) }}\nselect 1 as a\n");
        CliHarness.Result ok = p.run("compile");
        assertEquals(0, ok.exitCode(), ok.all());
        assertFalse(p.read("target/manifest.json").contains("model.shop.retired"), "a disabled model is left out");

        p.write("models/marts/uses_retired.sql", "select a from {{ ref('retired') }}\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/uses_retired.sql"), r.err());
        assertTrue(r.err().contains("depends on a node named 'retired' which is disabled"), r.err());
        p.delete("models/marts/uses_retired.sql");

        p.write("models/marts/retired.sql", "{{ config(enabled='maybe') }}\nselect 1 as a\n");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/retired.sql"), r.err());
        assertTrue(r.err().contains("enabled must be true or false, not 'maybe'"), r.err());
    }

    @Test
    void duplicateYamlKeysNameFileAndLine() {
        CliHarness p = copy("shop");
        p.write("models/marts/extra.yml", "version: 2\nmodels:\n  - name: orders\n    description: one\n"
                + "    description: two\n");
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/extra.yml:5"), r.err());
        assertTrue(r.err().contains("duplicate key 'description'"), r.err());
    }

    @Test
    void danglingSymlinkedModelIsAnError() throws Exception {
        CliHarness p = copy("shop");
        java.nio.file.Files.createSymbolicLink(p.dir.resolve("models/marts/ghost.sql"), p.dir.resolve("models/gone.sql"));
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/ghost.sql"), r.err());
        assertTrue(r.err().contains("broken symbolic link"), r.err());
    }

    /** A model file that is a link to a file elsewhere is read through its link (the walk saw a link, not a file). */
    @Test
    void symlinkedModelIsReadThroughItsLink() throws Exception {
        CliHarness p = copy("shop");
        p.write("elsewhere/linked.sql", "select 42 as answer");
        java.nio.file.Files.createSymbolicLink(p.dir.resolve("models/marts/linked.sql"), p.dir.resolve("elsewhere/linked.sql"));
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
        try (var files = java.nio.file.Files.walk(p.dir.resolve("target/compiled"))) {
            java.nio.file.Path compiled = files.filter(f -> f.getFileName().toString().equals("linked.sql")).findFirst().orElseThrow();
            assertEquals("select 42 as answer", java.nio.file.Files.readString(compiled).strip());
        }
    }

    /**
     * Schema files ending .yml and .yaml come from one walk of the folder; a dangling link is still reported for the
     * .yml files first (as two walks did), and a .yaml file is read like a .yml one.
     */
    @Test
    void schemaFilesOfBothEndingsAreReadAndDanglingLinksReportedYmlFirst() throws Exception {
        CliHarness p = copy("shop");
        java.nio.file.Files.createSymbolicLink(p.dir.resolve("models/marts/a_ghost.yaml"), p.dir.resolve("models/gone.yaml"));
        java.nio.file.Files.createSymbolicLink(p.dir.resolve("models/marts/b_ghost.yml"), p.dir.resolve("models/gone.yml"));
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/b_ghost.yml"), r.err());
        assertTrue(r.err().contains("broken symbolic link"), r.err());
        p.delete("models/marts/b_ghost.yml");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/a_ghost.yaml"), r.err());
        p.delete("models/marts/a_ghost.yaml");

        p.write("models/marts/extra.yaml", "version: 2\nmodels:\n  - name: orders\n    description: one\n"
                + "    description: two\n");
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/extra.yaml:5"), r.err());
        assertTrue(r.err().contains("duplicate key 'description'"), r.err());
    }

    @Test
    void emptyAndCommentOnlyModelsAreErrors() {
        CliHarness p = copy("shop");
        p.write("models/marts/empty.sql", "\n  \n");
        CliHarness.Result r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/empty.sql"), r.err());
        assertTrue(r.err().contains("has no SQL"), r.err());
        p.write("models/marts/empty.sql", "-- to do\n/* later\n   maybe */\n{# a template comment #}\n");
        r = expectBadInput(p, "run");
        assertTrue(r.err().contains("models/marts/empty.sql"), r.err());
    }

    @Test
    void nonUtf8FilesNameFileAndLine() throws Exception {
        CliHarness p = copy("shop");
        java.nio.file.Files.write(p.dir.resolve("models/marts/latin.sql"),
                "select 1 as a,\n  'caf\u00e9' as b\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliHarness.Result r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/latin.sql:2"), r.err());
        assertTrue(r.err().contains("not UTF-8"), r.err());
        p.delete("models/marts/latin.sql");

        java.nio.file.Files.write(p.dir.resolve("models/marts/latin.yml"),
                "version: 2\nmodels:\n  - name: orders\n    description: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        r = expectBadInput(p, "compile");
        assertTrue(r.err().contains("models/marts/latin.yml:4"), r.err());
    }

    @Test
    void exportPathThroughASymlinkMayNotLeaveTheProject() throws Exception {
        CliHarness p = copy("shop");
        java.nio.file.Path outside = java.nio.file.Files.createDirectories(tmp.resolve("outside"));
        java.nio.file.Path exports = java.nio.file.Files.createDirectories(p.dir.resolve("target/exports"));
        java.nio.file.Files.createSymbolicLink(exports.resolve("shared"), outside);
        p.write("models/marts/ops.yml", """
                version: 2
                operators:
                  - name: leak
                    type: export_file
                    sql: "select * from {{ ref('stg_customers') }}"
                    config: {path: shared/audience.csv}
                """);
        CliHarness.Result r = p.run("build", "-s", "+leak");
        assertTrue(r.exitCode() != 0, r.all());
        assertTrue(r.all().contains("leads outside the project"), r.all());
        assertFalse(java.nio.file.Files.exists(outside.resolve("audience.csv")), "nothing written through the link");
    }

    @Test
    void generatedSqlOfAnySizeCompiles() {
        CliHarness p = copy("shop");
        StringBuilder union = new StringBuilder("select 0 as n");
        for (int i = 1; i < 3000; i++) union.append("\nunion all select ").append(i);
        p.write("models/marts/wide_union.sql", union.toString());
        StringBuilder values = new StringBuilder("select * from (values (0, 'v0')");
        for (int i = 1; i < 20000; i++) values.append(", (").append(i).append(", 'v").append(i).append("')");
        p.write("models/marts/long_values.sql", values.append(") as v(n, label)\n").toString());
        // Templates that generate such SQL: a loop of thousands of branches, a long chain of concatenations.
        p.write("models/marts/looped.sql", "{% for i in range(3000) %}{% if not loop.first %} union all {% endif %}"
                + "select {{ i }} as n{% endfor %}\n");
        p.write("models/marts/chained.sql", "select '{{ " + "'x' ~ ".repeat(3000) + "'y' }}' as s\n");
        CliHarness.Result r = p.run("compile", "-s", "wide_union", "long_values", "looped", "chained");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.all().contains("StackOverflowError"), r.all());
        assertTrue(p.read("target/manifest.json").contains("\"model.shop.wide_union\""));
    }
}
