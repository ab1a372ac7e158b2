package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built-in unique test has its own form on DuckDB (duckdb__test_unique: integer keys pre-grouped 64 to a bitmap).
 * A project's failures must be the rows dbt's form gives, on every kind of column: the same project is tested with the
 * built-in and then with a project macro duckdb__test_unique that is dbt's default query, and the kept failures compared.
 */
class UniqueTestFormsTest extends AdapterSuite {

    private static final String AUDIT = S + "_dbt_test__audit";

    /** Repeats and near-repeats for each type: 2 twice, -64 twice and 63/64/65 apart (neighbouring bitmaps), the bigint
     *  and ubigint extremes, a hugeint beyond bigint twice, text differing in case and leading zeros, -0.0 and 0.0,
     *  NaN twice, decimals that round to one integer, nulls. */
    private static final String MODEL = """
            select
                cast(i as integer) as i_int, cast(b as bigint) as i_big, cast(h as hugeint) as i_huge,
                cast(u as ubigint) as i_ubig, cast(t as tinyint) as i_tiny, cast(s as varchar) as txt,
                cast(d as date) as d, cast(m as decimal(18, 4)) as dec, cast(f as double) as dbl,
                cast(q as varchar) as "Mixed Case"
            from (values
                (1, 0, '5', '1', 1, 'a', '2020-01-01', 1.4, '-0.0', 'x'),
                (2, 9223372036854775807, '5', '18446744073709551615', 2, 'A', '2020-01-01', 1.5, '0.0', 'X'),
                (2, 9223372036854775807, '6', '18446744073709551615', 3, 'a', '2020-01-02', 1.5, 'nan', 'y'),
                (null, -9223372036854775808, '170141183460469231731687303715884105727', null, -128, '1', null, null, 'nan', 'y'),
                (null, -9223372036854775808, '170141183460469231731687303715884105727', '7', -128, '01', '2020-01-03', 2.0, '1.0', null),
                (-64, 64, null, '8', 127, null, '2020-01-03', 2.4, '2.0', 'z'),
                (-1, 65, '-170141183460469231731687303715884105728', '9', 0, 'b', '2020-01-04', 3.0, '3.0', null),
                (63, 127, '7', '63', 1, 'c', '2020-01-05', -1.0, '-1e300', 'w'),
                (64, 128, '8', '64', 4, 'c ', '2020-01-06', -0.6, '1e300', 'v'),
                (-64, -65, '64', '65', 5, 'd', '2020-01-07', -1.4, '-1e300', 'u'),
                (65, -64, '65', '0', 6, '', '2020-01-08', 0.0, 'inf', 'W'),
                (127, -1, '-1', '127', 7, '', '2020-01-09', 0.0, '-inf', 'w')
            ) v(i, b, h, u, t, s, d, m, f, q)
            """;

    private static final String SCHEMA = """
            version: 2
            models:
              - name: edge_values
                columns:
                  - {name: i_int, data_tests: [unique]}
                  - {name: i_big, data_tests: [unique]}
                  - {name: i_huge, data_tests: [unique]}
                  - {name: i_ubig, data_tests: [unique]}
                  - {name: i_tiny, data_tests: [unique]}
                  - {name: txt, data_tests: [unique]}
                  - {name: d, data_tests: [unique]}
                  - {name: dec, data_tests: [unique]}
                  - {name: dbl, data_tests: [unique]}
                data_tests:
                  - unique: {column_name: '"Mixed Case"'}
                  - unique: {column_name: 'lower("Mixed Case")'}
                  - unique: {column_name: 'coalesce(i_int, 0) % 64'}
                  - unique: {column_name: 'cast(dec as integer)'}
                  - unique: {column_name: "i_int || '-' || txt"}
                  - unique:
                      column_name: 'i_tiny * 1'
                      config: {where: "i_int > 0"}
            """;

    /** dbt's default__test_unique, as the project's own DuckDB implementation. */
    private static final String DBT_FORM = """
            {% macro duckdb__test_unique(model, column_name) -%}
            select {{ column_name }} as unique_field, count(*) as n_records
            from {{ model }}
            where {{ column_name }} is not null
            group by {{ column_name }}
            having count(*) > 1
            {%- endmacro %}
            """;

    @Test
    void duckDbFormFailsOnTheRowsOfDbtForm() {
        CliHarness p = project("uniq", "data_tests:\n  +store_failures: true\n", files(
                "models/edge_values.sql", MODEL, "models/schema.yml", SCHEMA));
        expect(0, p, "run");
        expect(1, p, "test");
        assertTrue(compiledTests(p).stream().allMatch(sql -> sql.contains("bit_or(")), "the built-in DuckDB form is used");
        Map<String, List<String>> builtin = failures(p);

        p.write("macros/dbt_form.sql", DBT_FORM);
        expect(1, p, "test");
        assertTrue(compiledTests(p).stream().noneMatch(sql -> sql.contains("bit_or(")), "the project's form is used");
        Map<String, List<String>> dbtForm = failures(p);

        assertEquals(15, dbtForm.size(), dbtForm.keySet().toString());
        assertEquals(dbtForm, builtin);
        // Recomputed by hand: the repeats each column has, so the comparison is not between two empty sets.
        assertEquals(List.of("-64|2", "2|2"), dbtForm.get("unique_edge_values_i_int"));
        assertEquals(List.of("-9223372036854775808|2", "9223372036854775807|2"), dbtForm.get("unique_edge_values_i_big"));
        assertEquals(List.of("170141183460469231731687303715884105727|2", "5|2"), dbtForm.get("unique_edge_values_i_huge"));
        assertEquals(List.of("18446744073709551615|2"), dbtForm.get("unique_edge_values_i_ubig"));
        assertEquals(List.of("-128|2", "1|2"), dbtForm.get("unique_edge_values_i_tiny"));
        assertEquals(List.of("a|2", "|2"), dbtForm.get("unique_edge_values_txt"));
        assertEquals(List.of("0.0000|2", "1.5000|2"), dbtForm.get("unique_edge_values_dec"));
        // DuckDB groups -0.0 with 0.0 and NaN with NaN.
        assertEquals(List.of("-0.0|2", "-1e+300|2", "nan|2"), dbtForm.get("unique_edge_values_dbl"));
        assertEquals(List.of("1|2"), dbtForm.get("unique_edge_values_i_tiny_1"), dbtForm.keySet().toString());
    }

    /** Each audit table of the last test command: its rows as "unique_field|n_records", sorted. */
    private static Map<String, List<String>> failures(CliHarness p) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map<String, Object> t : p.query("select table_name from information_schema.tables where table_schema = '"
                + AUDIT + "'")) {
            String table = (String) t.get("table_name");
            List<String> rows = new ArrayList<>();
            for (Map<String, Object> r : p.query("select cast(unique_field as varchar) as f, n_records from " + AUDIT
                    + ".\"" + table + "\"")) {
                rows.add(r.get("f") + "|" + r.get("n_records"));
            }
            rows.sort(null);
            out.put(table, rows);
        }
        return out;
    }

    /** The compiled SQL of every test of the last command. */
    private static List<String> compiledTests(CliHarness p) {
        try (Stream<Path> walk = Files.walk(p.dir.resolve("target/compiled"))) {
            List<String> out = new ArrayList<>();
            for (Path f : walk.filter(f -> f.toString().endsWith(".sql") && f.toString().contains("schema.yml")).toList()) {
                out.add(Files.readString(f));
            }
            assertEquals(15, out.size(), out.toString());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
