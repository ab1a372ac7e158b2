package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `store_test_failures_tests` suite ported (test_store_test_failures.py and basic.py): which
 * tests keep their failing rows, as what (table, view or nothing), and what the kept rows are.
 */
class AdapterStoreTestFailuresTest extends AdapterSuite {

    private static final String AUDIT = S + "_dbt_test__aud";
    private static final String PEOPLE = """
            id,first_name,last_name
            1,Ana,Lind
            2,Ben,Holt
            3,Cleo,Marsh
            4,Dev,Okafor
            5,Eve,Park
            6,Finn,Quist
            7,Gia,Ruiz
            8,Hal,Sato
            9,Gary,Tran
            10,Rose,Ueda
            """;

    /** BaseStoreTestFailures.test__store_and_assert. */
    @Test
    void storeAndAssert() {
        CliHarness p = project("test", """
                seeds:
                  quote_columns: false
                  test:
                    expected_unique_problematic_model_id:
                      +column_types:
                        n_records: bigint
                    expected_accepted_values:
                      +column_types:
                        n_records: bigint
                data_tests:
                  +schema: dbt_test__aud
                """, files(
                "seeds/people.csv", PEOPLE,
                "seeds/expected_accepted_values.csv", "value_field,n_records\nGary,1\nRose,1\n",
                "seeds/expected_unique_problematic_model_id.csv", "unique_field,n_records\n2,2\n1,2\n",
                "models/fine_model.sql", "select * from {{ ref('people') }}\n",
                "models/fine_model_but_with_a_no_good_very_long_name.sql", "select 1 as quite_long_column_name\n",
                "models/problematic_model.sql", """
                        select * from {{ ref('people') }}
                        union all
                        select * from {{ ref('people') }} where id in (1, 2)
                        union all
                        select null as id, first_name, last_name from {{ ref('people') }} where id in (3, 4)
                        """,
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: fine_model
                            columns:
                              - name: id
                                data_tests: [unique, not_null]
                          - name: problematic_model
                            columns:
                              - name: id
                                data_tests:
                                  - unique:
                                      store_failures: true
                                  - not_null
                              - name: first_name
                                data_tests:
                                  - accepted_values:
                                      values: [Ana, Ben, Cleo, Dev, Eve, Finn, Gia, Hal]
                          - name: fine_model_but_with_a_no_good_very_long_name
                            columns:
                              - name: quite_long_column_name
                                data_tests: [unique]
                        """,
                "tests/failing_test.sql", "select * from {{ ref('fine_model') }}\n",
                "tests/passing_test.sql", "select * from {{ ref('fine_model') }} where false\n"));
        expect(0, p, "seed");
        expect(0, p, "run");

        // Only the test configured so keeps its rows.
        CliHarness.Result first = expect(1, p, "test");
        assertEquals("table", p.relationType(AUDIT, "unique_problematic_model_id"), first.all());
        relationsEqual(p, AUDIT + ".unique_problematic_model_id", "expected_unique_problematic_model_id");
        assertEquals(null, p.relationType(AUDIT, "failing_test"));

        // --store-failures keeps them all, again and again.
        expect(1, p, "test", "--store-failures");
        CliHarness.Result again = expect(1, p, "test", "--store-failures");
        List<String> actual = new ArrayList<>();
        resultsWithFailures(p).values().forEach(v -> actual.add(v.get(0) + " " + v.get(1)));
        actual.sort(null);
        assertEquals(List.of("fail 10", "fail 2", "fail 2", "fail 2", "pass 0", "pass 0", "pass 0", "pass 0"), actual, again.all());

        relationsEqual(p, AUDIT + ".failing_test", "fine_model");
        relationsEqual(p, AUDIT + ".unique_problematic_model_id", "expected_unique_problematic_model_id");
        // A name of 64 characters or more is cut to 30 and an md5 of the whole name, as dbt cuts it.
        String longName = "accepted_values_problematic_model_first_name__Ana__Ben__Cleo__Dev__Eve__Finn__Gia__Hal";
        String cut = "accepted_values_problematic_mo_" + md5(longName);
        assertEquals(cut, testRelation(p, "accepted_values_problematic"));
        relationsEqual(p, AUDIT + "." + cut, "expected_accepted_values");
        assertEquals(List.of("Cleo", "Dev"), p.query("select first_name from " + AUDIT + ".not_null_problematic_model_id"
                + " where id is null order by first_name").stream().map(m -> m.get("first_name")).toList());
        assertEquals(2L, p.count(AUDIT + ".not_null_problematic_model_id"));
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identifier the manifest gives the test whose name starts with prefix. */
    private static String testRelation(CliHarness p, String prefix) {
        for (JsonNode n : json(p, "target/manifest.json").path("nodes")) {
            if (n.path("resource_type").asText().equals("test") && n.path("name").asText().startsWith(prefix)) {
                String alias = n.path("alias").asText();
                return alias.isEmpty() ? n.path("name").asText() : alias;
            }
        }
        throw new AssertionError("no test named " + prefix + "*");
    }

    /** BaseStoreTestFailuresLimit.test_store_limit: limit caps the failures counted and kept. */
    @Test
    void storeLimit() {
        CliHarness p = project("test", files(
                "seeds/people.csv", PEOPLE,
                "seeds/_seeds.yml", """
                        seeds:
                          - name: people
                            columns:
                              - name: first_name
                                data_tests:
                                  - accepted_values:
                                      values: ["Gary"]
                                      config:
                                        store_failures_as: table
                                        limit: 4
                        """));
        expect(0, p, "seed");
        expect(1, p, "test");
        Map<String, List<Object>> r = resultsWithFailures(p);
        assertEquals(1, r.size());
        assertEquals(List.of("fail", 4L), r.values().iterator().next());
        String relation = json(p, "target/manifest.json").path("nodes").findValues("relation_name").stream()
                .map(JsonNode::asText).filter(t -> t.contains("accepted_values")).findFirst().orElse(null);
        assertNotNull(relation);
        assertEquals(4L, p.count(relation));
    }

    private static final String CHIPMUNKS = "name,shirt\nalvin,red\nsimon,blue\ntheodore,green\ndave,\n";

    private CliHarness chipmunks(String projectYml, Map<String, String> extra) {
        Map<String, String> f = new LinkedHashMap<>(files(
                "seeds/chipmunks_stage.csv", CHIPMUNKS,
                "models/chipmunks.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('chipmunks_stage') }}\n"));
        f.putAll(extra);
        CliHarness p = project("test", projectYml, f);
        expect(0, p, "seed");
        expect(0, p, "run");
        return p;
    }

    /** A singular test of green shirts (one failing row; purple: none) with the given config. */
    private static String shirtTest(String config, String shirt) {
        return (config.isEmpty() ? "" : "{{ config(" + config + ") }}\n") + "select * from {{ ref('chipmunks') }} where shirt = '" + shirt + "'\n";
    }

    /** Runs the tests and checks each one's status and what its failures were kept as (null: not kept). */
    private static void runAndAssert(CliHarness p, Map<String, String[]> expected) {
        CliHarness.Result r = p.run("test");
        assertTrue(r.exitCode() == 1 || r.exitCode() == 0, r.all());
        Map<String, String> statuses = results(p);
        Map<String, String> want = new LinkedHashMap<>();
        expected.forEach((k, v) -> want.put(k, v[0]));
        assertEquals(want, statuses, r.all());
        expected.forEach((name, v) -> assertEquals(v[1], p.relationType(S + "_dbt_test__audit", name), name));
    }

    private static String[] res(String status, String type) {
        return new String[]{status, type};
    }

    /** StoreTestFailuresAsInteractions: store_failures_as and store_failures on the same test. */
    @Test
    void storeFailuresAsInteractions() {
        Map<String, String> tests = new LinkedHashMap<>();
        tests.put("tests/view_unset_pass.sql", shirtTest("store_failures_as='view'", "purple"));
        for (String as : List.of("view", "table", "ephemeral", "unset")) {
            for (String sf : List.of("true", "false", "unset")) {
                List<String> cfg = new ArrayList<>();
                if (!as.equals("unset")) cfg.add("store_failures_as='" + as + "'");
                if (!sf.equals("unset")) cfg.add("store_failures=" + (sf.equals("true") ? "True" : "False"));
                tests.put("tests/" + as + "_" + sf + ".sql", shirtTest(String.join(", ", cfg), "green"));
            }
        }
        CliHarness p = chipmunks("", tests);
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("view_unset_pass", res("pass", "view"));
        for (String sf : List.of("true", "false", "unset")) {
            expected.put("view_" + sf, res("fail", "view"));
            expected.put("table_" + sf, res("fail", "table"));
            expected.put("ephemeral_" + sf, res("fail", null));
        }
        expected.put("unset_true", res("fail", "table"));
        expected.put("unset_false", res("fail", null));
        expected.put("unset_unset", res("fail", null));
        runAndAssert(p, expected);
    }

    /** StoreTestFailuresAsProjectLevelOff: store_failures_as on the test wins over store_failures: false in the project. */
    @Test
    void projectLevelOff() {
        CliHarness p = chipmunks("data_tests:\n  +store_failures: false\n", files(
                "tests/results_view.sql", shirtTest("store_failures_as='view'", "green"),
                "tests/results_table.sql", shirtTest("store_failures_as='table'", "green"),
                "tests/results_ephemeral.sql", shirtTest("store_failures_as='ephemeral'", "green"),
                "tests/results_unset.sql", shirtTest("", "green")));
        runAndAssert(p, Map.of("results_view", res("fail", "view"), "results_table", res("fail", "table"),
                "results_ephemeral", res("fail", null), "results_unset", res("fail", null)));
    }

    /** StoreTestFailuresAsProjectLevelView: store_failures_as: view in the project wins over the test's store_failures. */
    @Test
    void projectLevelView() {
        CliHarness p = chipmunks("data_tests:\n  +store_failures_as: view\n", files(
                "tests/results_true.sql", shirtTest("store_failures=True", "green"),
                "tests/results_false.sql", shirtTest("store_failures=False", "green"),
                "tests/results_unset.sql", shirtTest("", "green")));
        runAndAssert(p, Map.of("results_true", res("fail", "view"), "results_false", res("fail", "view"),
                "results_unset", res("fail", "view")));
    }

    /** StoreTestFailuresAsProjectLevelEphemeral: ephemeral in the project turns storing off unless the test says as what. */
    @Test
    void projectLevelEphemeral() {
        CliHarness p = chipmunks("data_tests:\n  +store_failures_as: ephemeral\n  +store_failures: true\n", files(
                "tests/results_unset.sql", shirtTest("", "green"),
                "tests/results_true.sql", shirtTest("store_failures=True", "green"),
                "tests/results_view.sql", shirtTest("store_failures_as='view'", "green")));
        runAndAssert(p, Map.of("results_unset", res("fail", null), "results_true", res("fail", null),
                "results_view", res("fail", "view")));
    }

    /** StoreTestFailuresAsGeneric: store_failures_as on generic tests in YAML. */
    @Test
    void generic() {
        CliHarness p = chipmunks("", files("models/schema.yml", """
                version: 2
                models:
                  - name: chipmunks
                    columns:
                      - name: name
                        data_tests:
                          - not_null:
                              store_failures_as: view
                          - accepted_values:
                              store_failures: false
                              store_failures_as: table
                              values: [alvin, simon, theodore]
                      - name: shirt
                        data_tests:
                          - not_null:
                              store_failures: true
                              store_failures_as: view
                """));
        runAndAssert(p, Map.of("not_null_chipmunks_name", res("pass", "view"),
                "accepted_values_chipmunks_name__alvin__simon__theodore", res("fail", "table"),
                "not_null_chipmunks_shirt", res("fail", "view")));
    }

    /** StoreTestFailuresAsExceptions: an unknown store_failures_as is the test's compilation error. */
    @Test
    void invalidStoreFailuresAs() {
        CliHarness p = chipmunks("", files("tests/store_failures_as_error.sql", shirtTest("store_failures_as='error'", "green")));
        CliHarness.Result r = p.run("test");
        assertEquals(1, r.exitCode(), r.all());
        assertEquals(Map.of("store_failures_as_error", "error"), results(p));
        String message = json(p, "target/run_results.json").path("results").get(0).path("message").asText();
        assertTrue(message.contains("Compilation Error"), message);
        assertTrue(message.contains("'error' is not a valid value"), message);
        assertTrue(message.contains("Accepted values are: ['ephemeral', 'table', 'view']"), message);
    }
}
