package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `unit_testing` suites ported with fixtures of our own: test_types.py (a value of each type
 * through a fixture row and back), test_case_insensitivity.py, test_invalid_input.py and
 * test_quoted_reserved_word_column_names.py. test_pseudocolumns.py patches the adapter's Python class to invent a
 * column and has no counterpart here (a fixture column the input lacks is an error, as test_invalid_input wants).
 */
class AdapterUnitTestingTest extends AdapterSuite {

    private static final String MODEL = "select measured from {{ ref('upstream') }}\n";

    /** name -> status of each result of the last command, by the last part of its id (a unit test's own name). */
    private static Map<String, String> unitResults(CliHarness p) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode r : json(p, "target/run_results.json").path("results")) {
            String[] parts = r.path("unique_id").asText().split("\\.");
            m.put(parts[parts.length - 1], r.path("status").asText());
        }
        return m;
    }

    private CliHarness project(String upstream, String unitTests) {
        return project("ut", files(
                "models/downstream.sql", MODEL,
                "models/upstream.sql", upstream,
                "models/unit_tests.yml", unitTests));
    }

    private static String roundTrip(String yamlValue) {
        return roundTrip(yamlValue, yamlValue);
    }

    private static String roundTrip(String givenValue, String expectedValue) {
        return """
                unit_tests:
                  - name: keeps_the_value
                    model: downstream
                    given:
                      - input: ref('upstream')
                        rows:
                          - {measured: %s}
                    expect:
                      rows:
                        - {measured: %s}
                """.formatted(givenValue, expectedValue);
    }

    /**
     * BaseUnitTestingTypes.test_unit_test_data_type: for each SQL type, the upstream model is built with a value of
     * it, and a unit test whose fixture row and expected row hold that value in YAML passes. A different expected
     * value fails, so the comparison is by value, not by anything passing.
     */
    @Test
    void typesRoundTripThroughFixtures() {
        String json = warehouse() instanceof PostgresWarehouse ? "cast('{\"shelf\": \"b2\", \"weight\": 1.25, \"fragile\": true}' as json)"
                : "json '{\"shelf\": \"b2\", \"weight\": 1.25, \"fragile\": true}'";
        List<List<String>> types = List.of(
                List.of("7", "7", "8"),
                List.of("'7'", "7", "8"),
                List.of("false", "false", "true"),
                List.of("DATE '2021-03-04'", "2021-03-04", "2021-03-05"),
                List.of("TIMESTAMP '2019-06-07 08:09:10'", "2019-06-07 08:09:10", "2019-06-07 08:09:11"),
                List.of("cast('2019-06-07 08:09:10+00' as timestamptz)", "2019-06-07 08:09:10+00", "2019-06-07 09:09:10+00"),
                List.of("cast('7.5' as numeric(10, 2))", "7.5", "7.25"),
                List.of(json, "'{\"shelf\": \"b2\", \"weight\": 1.25, \"fragile\": true}'", "'{\"shelf\": \"c3\"}'"));
        CliHarness p = project("select 1 as measured\n", roundTrip("1"));
        for (List<String> t : types) {
            p.write("models/upstream.sql", "select " + t.get(0) + " as measured\n");
            p.write("models/unit_tests.yml", roundTrip(t.get(1)));
            expect(0, p, "run", "--select", "upstream");
            CliHarness.Result r = p.run("test", "--select", "downstream");
            assertEquals(0, r.exitCode(), t + "\n" + r.all());
            assertEquals(Map.of("keeps_the_value", "pass"), unitResults(p), t.toString());

            p.write("models/unit_tests.yml", roundTrip(t.get(1), t.get(2)));
            r = p.run("test", "--select", "downstream");
            assertEquals(1, r.exitCode(), t + " with a different expected value\n" + r.all());
            assertEquals(Map.of("keeps_the_value", "fail"), unitResults(p), t.toString());
        }
    }

    /** BaseUnitTestCaseInsensivity: column names in fixture and expected rows match whatever their case. */
    @Test
    void columnNamesAreCaseInsensitive() {
        CliHarness p = project("select 1 as measured\n", """
                unit_tests:
                  - name: any_case
                    model: downstream
                    given:
                      - input: ref('upstream')
                        rows:
                          - {measured: 4}
                          - {MEASURED: 5}
                          - {MeAsUrEd: 6}
                    expect:
                      rows:
                        - {Measured: 4}
                        - {measured: 5}
                        - {MEASURED: 6}
                """);
        expect(0, p, "run");
        assertEquals(2, unitResults(p).size());
        expect(0, p, "test");
        assertEquals(Map.of("any_case", "pass"), unitResults(p));
    }

    /** BaseUnitTestInvalidInput: a column that is not the input's, or not the model's, is named in the error. */
    @Test
    void invalidColumnNamesAreErrorsNamingThem() {
        CliHarness p = project("select 1 as measured\n", """
                unit_tests:
                  - name: bad_input_column
                    model: downstream
                    given:
                      - input: ref('upstream')
                        rows:
                          - {weight: 1}
                    expect:
                      rows:
                        - {measured: 1}
                  - name: bad_expected_column
                    model: downstream
                    given:
                      - input: ref('upstream')
                        rows:
                          - {measured: 1}
                    expect:
                      rows:
                        - {weight: 1}
                """);
        expect(0, p, "run");
        CliHarness.Result r = expect(1, p, "test", "--select", "test_name:bad_input_column");
        assertEquals(Map.of("bad_input_column", "error"), unitResults(p));
        assertTrue(r.out().contains("column 'weight' of ref('upstream') is not one of"), r.out());
        r = expect(1, p, "test", "--select", "test_name:bad_expected_column");
        assertEquals(Map.of("bad_expected_column", "error"), unitResults(p));
        assertTrue(r.out().contains("weight") && r.out().contains("bad_expected_column"), r.out());
    }

    /** BaseUnitTestQuotedReservedWordColumnNames: csv fixture files with a column named by a reserved word. */
    @Test
    void quotedReservedWordColumnNames() {
        CliHarness p = project("ut", files(
                "models/downstream.sql", "select * from {{ ref('upstream') }}\n",
                "models/upstream.sql", "select 1 as \"ORDER\"\n",
                "models/unit_tests.yml", """
                        unit_tests:
                          - name: reserved_word
                            model: downstream
                            given:
                              - input: ref('upstream')
                                format: csv
                                fixture: rows_in
                            expect:
                              format: csv
                              fixture: rows_out
                        """,
                "tests/fixtures/rows_in.csv", "ORDER\n4\n5\n6\n",
                "tests/fixtures/rows_out.csv", "ORDER\n6\n5\n4\n"));
        expect(0, p, "run");
        assertEquals(2, unitResults(p).size());
        expect(0, p, "test");
        assertEquals(Map.of("reserved_word", "pass"), unitResults(p));
        p.write("tests/fixtures/rows_out.csv", "ORDER\n6\n5\n");
        expect(1, p, "test");
        assertEquals(Map.of("reserved_word", "fail"), unitResults(p));
    }

    /** An incremental model's unit test gives `this` (the table as it stands) and overrides is_incremental. */
    @Test
    void incrementalModelWithThisGiven() {
        CliHarness p = project("ut", files(
                "models/upstream.sql", "select 1 as id, 10 as amount\n",
                "models/growing.sql", """
                        {{ config(materialized='incremental', unique_key='id') }}
                        select id, amount from {{ ref('upstream') }}
                        {% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}
                        """,
                "models/unit_tests.yml", """
                        unit_tests:
                          - name: only_rows_past_the_table
                            model: growing
                            overrides:
                              macros: {is_incremental: true}
                            given:
                              - input: ref('upstream')
                                rows: [{id: 1, amount: 10}, {id: 2, amount: 20}, {id: 3, amount: 30}]
                              - input: this
                                rows: [{id: 1, amount: 10}, {id: 2, amount: 99}]
                            expect:
                              rows: [{id: 3, amount: 30}]
                          - name: everything_on_a_full_build
                            model: growing
                            given:
                              - input: ref('upstream')
                                rows: [{id: 1, amount: 10}, {id: 2, amount: 20}]
                            expect:
                              rows: [{id: 1, amount: 10}, {id: 2, amount: 20}]
                        """));
        expect(0, p, "run");
        expect(0, p, "test");
        assertEquals(Map.of("only_rows_past_the_table", "pass", "everything_on_a_full_build", "pass"), unitResults(p));
    }

    /** An ephemeral input is given as SQL, as dbt requires of inputs that have no table to take types from. */
    @Test
    void ephemeralInputGivenAsSql() {
        CliHarness p = project("ut", files(
                "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id, 'a' as label\n",
                "models/reader.sql", "select id, upper(label) as label from {{ ref('eph') }}\n",
                "models/unit_tests.yml", """
                        unit_tests:
                          - name: reads_the_ephemeral
                            model: reader
                            given:
                              - input: ref('eph')
                                format: sql
                                rows: |
                                  select 1 as id, 'x' as label union all select 2 as id, 'y' as label
                            expect:
                              rows: [{id: 1, label: X}, {id: 2, label: Y}]
                        """));
        expect(0, p, "run");
        expect(0, p, "test");
        assertEquals(Map.of("reads_the_ephemeral", "pass"), unitResults(p));
    }
}
