package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt 1.8 unit tests (unit_tests: in schema YAML): fixtures as dict, csv and sql rows, overrides of
 * is_incremental, vars and env vars, a failing test's diff, selection by test_type, and build running a model's
 * unit tests before the model.
 */
class UnitTestsTest extends ProjectTest {

    private static final String PASSING = """
            version: 2
            unit_tests:
              - name: adds_dict
                model: my_model
                given:
                  - input: ref('my_input')
                    rows:
                      - {a: 1, b: 2}
                      - {a: 5}
                expect:
                  rows:
                    - {c: 3}
                    - {c: null}
              - name: adds_csv
                model: my_model
                given:
                  - input: ref("my_input")
                    format: csv
                    rows: |
                      a,b
                      10,20
                      1,1
                expect:
                  format: csv
                  rows: |
                    a,c
                    1,2
                    10,30
              - name: adds_sql
                model: my_model
                given:
                  - input: ref('my_input')
                    format: sql
                    rows: select 3 as a, 4 as b
                expect:
                  format: sql
                  rows: select 7 as c
              - name: only_new_rows_when_incremental
                model: my_model
                overrides:
                  macros: {is_incremental: true}
                given:
                  - input: ref('my_input')
                    rows: [{a: 1, b: 1}, {a: 200, b: 1}]
                expect:
                  rows: [{a: 200, c: 201}]
              - name: vars_and_env_vars
                model: my_model
                overrides:
                  vars: {suffix: from_var}
                  env_vars: {UNIT_TEST_LABEL: from_env}
                given:
                  - input: ref('my_input')
                    rows: [{a: 1, b: 1}]
                expect:
                  rows: [{s: from_var, e: from_env}]
            """;

    private CliHarness project(String extraTests) {
        CliHarness p = copy("shop");
        p.write("models/ut/my_input.sql", "select 1 as a, 2 as b\n");
        p.write("models/ut/my_model.sql", """
                {{ config(materialized='incremental') }}
                select a, b, a + b as c, '{{ var("suffix", "none") }}' as s,
                       '{{ env_var("UNIT_TEST_LABEL", "unset") }}' as e
                from {{ ref('my_input') }}
                {% if is_incremental() %}where a > 100{% endif %}
                """);
        p.write("models/ut/unit_tests.yml", PASSING + extraTests);
        return p;
    }

    private static final String FAILING = """
              - name: wrong_sum
                model: my_model
                given:
                  - input: ref('my_input')
                    rows: [{a: 1, b: 2}, {a: 2, b: 2}]
                expect:
                  rows: [{a: 1, c: 99}, {a: 2, c: 4}]
            """;

    @Test
    void unitTestsPassAndAFailureShowsTheDifference() {
        CliHarness p = project(FAILING);
        assertEquals(0, p.run("run", "-s", "my_input").exitCode());
        CliHarness.Result r = p.run("test", "-s", "test_type:unit");
        assertEquals(1, r.exitCode(), r.all());
        for (String name : new String[]{"adds_dict", "adds_csv", "adds_sql", "only_new_rows_when_incremental", "vars_and_env_vars"}) {
            assertTrue(r.out().contains("PASS unit_test my_model::" + name), name + "\n" + r.out());
        }
        assertTrue(r.out().contains("FAIL 2 unit_test my_model::wrong_sum"), r.out());
        assertTrue(r.out().contains("- expected, not returned: {a=1, c=99}"), r.out());
        assertTrue(r.out().contains("+ returned, not expected: {a=1, c=3}"), r.out());
        assertTrue(r.out().contains("Done. PASS=5 WARN=0 ERROR=1 SKIP=0 TOTAL=6"), r.out());
        // The unit tests leave nothing behind in the warehouse.
        assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.tables where table_name like '%sluice_unit%'")).longValue());

        // In the manifest they are under unit_tests, as dbt writes them, beside its other top-level keys.
        com.fasterxml.jackson.databind.JsonNode manifest;
        try {
            manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.read("target/manifest.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals("my_model", manifest.get("unit_tests").get("unit_test.shop.my_model.adds_dict").get("model").asText());
        assertTrue(!manifest.get("nodes").has("unit_test.shop.my_model.adds_dict"));
        assertTrue(manifest.get("macros").has("macro.shop.cents_to_dollars"), manifest.get("macros").toString());
        for (String key : new String[]{"exposures", "groups", "disabled", "semantic_models", "metrics", "saved_queries",
                "selectors", "group_map", "parent_map", "child_map"}) {
            assertTrue(manifest.has(key), key);
        }

        // test_type:data is the data tests only.
        r = p.run("test", "-s", "test_type:data");
        assertTrue(!r.out().contains("unit_test"), r.out());
    }

    @Test
    void buildRunsAModelsUnitTestsFirstAndAFailureSkipsTheModel() {
        CliHarness p = project("");
        CliHarness.Result r = p.run("build", "-s", "+my_model");
        assertEquals(0, r.exitCode(), r.all());
        String out = r.out();
        assertTrue(out.indexOf("PASS unit_test my_model::adds_dict") < out.indexOf("OK created sql incremental model main.my_model"), out);
        assertEquals("[{a=1, c=3, s=none, e=unset}]", p.query("select a, c, s, e from main.my_model").toString());

        p.write("models/ut/unit_tests.yml", PASSING + FAILING);
        p.write("models/ut/my_input.sql", "select 1 as a, 2 as b union all select 3, 4\n");
        r = p.run("build", "-s", "+my_model", "--full-refresh");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("SKIP sql incremental model main.my_model"), r.out());
        assertEquals(1L, p.count("main.my_model"), "the model was not rebuilt");
    }

    /**
     * A model whose template fails when it compiles for real: each of its unit tests is one error (their SQL is the
     * model's), the model is skipped once, as dbt's build does, and nothing is counted twice in the summary or in
     * run_results.json.
     */
    @Test
    void aUnitTestWhoseModelDoesNotCompileIsCountedOnce() throws Exception {
        CliHarness p = project("");
        p.write("models/ut/broken.sql", "{% if execute %}{{ exceptions.raise_compiler_error('broken on purpose') }}{% endif %}\n"
                + "select a from {{ ref('my_input') }}\n");
        p.write("models/ut/broken.yml", """
                version: 2
                unit_tests:
                  - name: first
                    model: broken
                    given: [{input: ref('my_input'), rows: [{a: 1}]}]
                    expect: {rows: [{a: 1}]}
                  - name: second
                    model: broken
                    given: [{input: ref('my_input'), rows: [{a: 2}]}]
                    expect: {rows: [{a: 2}]}
                """);
        CliHarness.Result r = p.run("build", "-s", "broken");
        assertEquals(1, r.exitCode(), r.all());
        for (String ut : new String[]{"first", "second"}) {
            assertEquals(1, count(r.out(), "ERROR creating unit_test broken::" + ut + " "), r.out());
            assertEquals(1, count(r.out(), "Error in unit_test " + ut + " "), r.out());
        }
        assertEquals(2, count(r.out(), "Compilation Error in models/ut/broken.sql:1: broken on purpose"), r.out());
        assertTrue(r.out().contains("Completed with 2 errors"), r.out());
        assertTrue(r.out().contains("Done. PASS=0 WARN=0 ERROR=2 SKIP=1 TOTAL=3"), r.out());
        java.util.Map<String, String> status = statuses(p);
        assertEquals(java.util.Map.of("unit_test.shop.broken.first", "error", "unit_test.shop.broken.second", "error",
                "model.shop.broken", "skipped"), status);

        r = p.run("test", "-s", "broken");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("Done. PASS=0 WARN=0 ERROR=2 SKIP=0 TOTAL=2"), r.out());
        assertEquals(java.util.Map.of("unit_test.shop.broken.first", "error", "unit_test.shop.broken.second", "error"), statuses(p));
    }

    /** unique id -> status of run_results.json; a unique id listed twice fails. */
    private static java.util.Map<String, String> statuses(CliHarness p) throws java.io.IOException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(p.read("target/run_results.json")).get("results")) {
            String previous = out.put(n.get("unique_id").asText(), n.get("status").asText());
            assertEquals(null, previous, "listed twice: " + n.get("unique_id").asText());
        }
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void aUnitTestsConfigIsRenderedAndItsTagsSelect() {
        // As audit_helper tags the tests one warehouse cannot run; the failing test is excluded by its rendered tag.
        CliHarness p = project(FAILING + """
                    config:
                      tags: "{{ 'skip' if target.type in ['duckdb', 'postgres'] else 'runnable' }}"
                """);
        CliHarness.Result ls = p.run("ls", "--select", "tag:skip", "--resource-type", "unit_test", "-o", "name");
        assertEquals(0, ls.exitCode(), ls.all());
        assertEquals(List.of("wrong_sum"), ls.out().lines().filter(l -> !l.isBlank() && !l.contains(" ")).toList(), ls.out());
        CliHarness.Result r = p.run("build", "-s", "+my_model", "--exclude", "tag:skip");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.out().contains("wrong_sum"), r.out());
    }

    @Test
    void aMissingInputOrColumnIsAnErrorOfTheUnitTest() {
        CliHarness p = project("""
                  - name: no_inputs
                    model: my_model
                    given: []
                    expect:
                      rows: [{c: 1}]
                  - name: unknown_column
                    model: my_model
                    given:
                      - input: ref('my_input')
                        rows: [{a: 1, z: 2}]
                    expect:
                      rows: [{c: 1}]
                """);
        assertEquals(0, p.run("run", "-s", "my_input").exitCode());
        CliHarness.Result r = p.run("test", "-s", "my_model");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("unit test 'no_inputs' gives no rows for ref('my_input'), which model 'my_model' reads"), r.out());
        assertTrue(r.out().contains("column 'z' of ref('my_input') is not one of"), r.out());

        p.write("models/ut/unit_tests.yml", "version: 2\nunit_tests:\n  - name: x\n    model: no_such_model\n    given: []\n"
                + "    expect: {rows: []}\n");
        r = p.run("test");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/ut/unit_tests.yml:3"), r.err());
        assertTrue(r.err().contains("tests model 'no_such_model'"), r.err());
    }

    @Test
    void fixtureFilesAreFoundByNameUnderTestsFixtures() {
        CliHarness p = project("""
                  - name: from_files
                    model: my_model
                    given:
                      - input: ref('my_input')
                        format: csv
                        fixture: my_input_rows
                    expect:
                      format: sql
                      fixture: my_model_expected
                """);
        // Fixture files, including a .sql one, are not singular tests; a subfolder is searched too.
        p.write("tests/fixtures/my_input_rows.csv", "a,b\n10,20\n1,\n");
        p.write("tests/fixtures/expected/my_model_expected.sql", "select 10 as a, 30 as c union all select 1, null\n");
        assertEquals(0, p.run("run", "-s", "my_input").exitCode());
        CliHarness.Result r = p.run("test", "-s", "test_type:unit");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("PASS unit_test my_model::from_files"), r.out());
        assertTrue(r.out().contains("Done. PASS=6 WARN=0 ERROR=0 SKIP=0 TOTAL=6"), r.out());

        // A name with no file is an error at the fixture: line, listing the fixtures there are.
        p.write("models/ut/unit_tests.yml", PASSING + """
                  - name: missing_file
                    model: my_model
                    given:
                      - input: ref('my_input')
                        format: csv
                        fixture: my_input_rowz
                    expect: {rows: []}
                """);
        r = p.run("test");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/ut/unit_tests.yml:" + (PASSING.lines().count() + 6)), r.err());
        assertTrue(r.err().contains("no fixture file my_input_rowz.csv") && r.err().contains("csv fixtures there: my_input_rows"), r.err());
    }

    @Test
    void aVersionedModelsUnitTestRunsOncePerChosenVersion() {
        CliHarness p = project("");
        p.write("models/ut/vm_v1.sql", "select a, a * 2 as d from {{ ref('my_input') }}\n");
        p.write("models/ut/vm_v2.sql", "select a, a * 3 as d from {{ ref('my_input') }}\n");
        p.write("models/ut/vm.yml", """
                version: 2
                models:
                  - name: vm
                    latest_version: 2
                    versions: [{v: 1}, {v: 2}]
                unit_tests:
                  - name: doubles
                    model: vm
                    given: [{input: ref('my_input'), rows: [{a: 1}, {a: 4}]}]
                    expect: {rows: [{a: 1, d: 2}, {a: 4, d: 8}]}
                  - name: triples_in_v2
                    model: vm
                    versions: {include: [2]}
                    given: [{input: ref('my_input'), rows: [{a: 5}]}]
                    expect: {rows: [{d: 15}]}
                  - name: doubles_but_v2
                    model: vm
                    versions: {exclude: [2]}
                    given: [{input: ref('my_input'), rows: [{a: 5}]}]
                    expect: {rows: [{d: 10}]}
                """);
        assertEquals(0, p.run("run", "-s", "my_input").exitCode());
        CliHarness.Result r = p.run("test", "-s", "test_type:unit");
        assertEquals(1, r.exitCode(), r.all());
        // No versions: every version, each its own unit test (dbt's unique id gets _v<version>); v2 triples, so
        // the doubling expectation fails there only.
        assertTrue(r.out().contains("PASS unit_test vm.v1::doubles"), r.out());
        assertTrue(r.out().contains("FAIL 4 unit_test vm.v2::doubles"), r.out());
        assertTrue(r.out().contains("+ returned, not expected: {a=4, d=12}"), r.out());
        assertTrue(r.out().contains("compiled code at target/compiled/shop/models/ut/vm.yml/doubles_v2.sql"), r.out());
        assertTrue(r.out().contains("PASS unit_test vm.v2::triples_in_v2"), r.out());
        assertFalse(r.out().contains("vm.v1::triples_in_v2"), r.out());
        assertTrue(r.out().contains("PASS unit_test vm.v1::doubles_but_v2"), r.out());
        assertFalse(r.out().contains("vm.v2::doubles_but_v2"), r.out());
        assertTrue(r.out().contains("Done. PASS=8 WARN=0 ERROR=1 SKIP=0 TOTAL=9"), r.out());
        com.fasterxml.jackson.databind.JsonNode units;
        try {
            units = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.read("target/manifest.json")).get("unit_tests");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(units.has("unit_test.shop.vm.doubles_v1") && units.has("unit_test.shop.vm.doubles_v2"), units.toString());
        assertEquals("2", units.get("unit_test.shop.vm.triples_in_v2_v2").get("version").asText());
        assertFalse(units.has("unit_test.shop.vm.triples_in_v2_v1") || units.has("unit_test.shop.vm.doubles"), units.toString());

        // A version the model lacks chooses nothing; versions on an unversioned model; include and exclude together.
        for (String bad : new String[]{"model: vm, versions: {include: [7]}", "model: my_model, versions: {exclude: [1]}",
                "model: vm, versions: {include: [1], exclude: [2]}"}) {
            p.write("models/ut/vm.yml", """
                    version: 2
                    models: [{name: vm, latest_version: 2, versions: [{v: 1}, {v: 2}]}]
                    unit_tests:
                      - {name: bad, given: [{input: ref('my_input'), rows: [{a: 1}]}], expect: {rows: []}, %s}
                    """.formatted(bad));
            r = p.run("test", "-s", "test_type:unit");
            assertEquals(2, r.exitCode(), bad + "\n" + r.all());
            assertTrue(r.err().contains("models/ut/vm.yml:"), r.err());
        }
    }
}
