package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run-operation: a macro run on the warehouse with --args, its log lines, its committed statements, its errors. */
class RunOperationTest extends ProjectTest {

    private static final String MACROS = """
            {% macro make_table(n, label='x') %}
              {% do run_query('create schema if not exists ' ~ target.schema) %}
              {% call statement('create') %}
                create table {{ target.schema }}.op_made (v integer, label varchar)
              {% endcall %}
              {% for i in range(1, n + 1) %}
                {% do run_query("insert into " ~ target.schema ~ ".op_made values (" ~ i ~ ", '" ~ label ~ "')") %}
              {% endfor %}
              {{ log('schema=' ~ target.schema, info=True) }}
            {% endmacro %}

            {% macro report() %}
              {% set r = run_query("select count(*) as c, sum(v) as s from " ~ target.schema ~ ".op_made") %}
              {{ log('rows=' ~ r.columns[0].values()[0] ~ ' sum=' ~ r.columns[1].values()[0], info=True) }}
              {{ log('not shown on the console') }}
            {% endmacro %}

            {% macro boom(why) %}
              {{ exceptions.raise_compiler_error('refused: ' ~ why) }}
            {% endmacro %}
            """;

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("macros/ops.sql", MACROS);
        return p;
    }

    @Test
    void macroCreatesAndFillsATableThatStaysCommitted() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run-operation", "make_table", "--args", "{n: 4, label: op}");
        assertEquals(0, r.exitCode(), r.all());
        String schemaLine = r.out().lines().filter(l -> l.contains("schema=")).findFirst().orElseThrow(() -> new AssertionError(r.all()));
        String schema = schemaLine.substring(schemaLine.indexOf("schema=") + 7).strip();
        // Checked independently, from a new connection after the CLI ended: 1+2+3+4 = 10.
        List<Map<String, Object>> rows = p.query("select count(*) as c, sum(v) as s, min(label) as l from " + schema + ".op_made");
        assertEquals(4L, ((Number) rows.get(0).get("c")).longValue());
        assertEquals(10L, ((Number) rows.get(0).get("s")).longValue());
        assertEquals("op", rows.get(0).get("l"));

        CliHarness.Result report = p.run("run-operation", "report");
        assertEquals(0, report.exitCode(), report.all());
        assertTrue(report.out().contains("rows=4 sum=10"), report.out());
        assertTrue(!report.out().contains("not shown on the console"), report.out());
    }

    @Test
    void packageMacroByQualifiedName() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run-operation", "shop.make_table", "--args", "n: 2");
        assertEquals(0, r.exitCode(), r.all());
        CliHarness.Result report = p.run("run-operation", "shop.report");
        assertTrue(report.out().contains("rows=2 sum=3"), report.all());
    }

    @Test
    void macroOfAnInstalledPackage() {
        CliHarness p = copy("pkgshop");
        p.write("local_packages/sluice_helpers/macros/helper_ops.sql",
                "{% macro shout(word) %}{{ log(word | upper ~ '!', info=True) }}{% endmacro %}\n");
        assertEquals(0, p.run("deps").exitCode());
        CliHarness.Result r = p.run("run-operation", "sluice_helpers.shout", "--args", "{word: hi}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("HI!")), r.out());
        // A bare name is found in the package too, as dbt searches the root project then the packages.
        CliHarness.Result bare = p.run("run-operation", "shout", "--args", "{word: yo}");
        assertEquals(0, bare.exitCode(), bare.all());
        assertTrue(bare.out().lines().anyMatch(l -> l.endsWith("YO!")), bare.out());
        CliHarness.Result typo = p.run("run-operation", "sluice_helpers.shuot");
        assertEquals(2, typo.exitCode(), typo.all());
        assertTrue(typo.err().contains("did you mean 'sluice_helpers.shout'"), typo.err());
    }

    @Test
    void unknownMacroIsBadInputWithASuggestion() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run-operation", "make_tabel");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("make_tabel") && r.err().contains("did you mean 'make_table'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CliHarness.Result pkg = p.run("run-operation", "nopkg.make_table");
        assertEquals(2, pkg.exitCode(), pkg.all());
        assertTrue(pkg.err().contains("nopkg"), pkg.err());
    }

    @Test
    void badArgsAreBadInput() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run-operation", "make_table", "--args", "{n: [1,");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("--args is not valid YAML"), r.err());
        CliHarness.Result list = p.run("run-operation", "make_table", "--args", "[1, 2]");
        assertEquals(2, list.exitCode(), list.all());
        assertTrue(list.err().contains("--args must be a YAML mapping"), list.err());
    }

    @Test
    void errorRaisedInTheMacroFailsWithItsMessage() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run-operation", "boom", "--args", "{why: not today}");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.err().contains("refused: not today"), r.err());
    }
}
