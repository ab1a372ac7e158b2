package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The half of {@code template.UnsupportedConstructsTest} that needs dbt's context: constructs from dbt's Jinja
 * docs that real projects write, tried one by one through the CLI. Each either compiles to what dbt gives
 * (worked out from dbt's documentation and source) or is an error naming the file and line; none renders empty
 * or passes silently. Found wrong by this sweep and fixed: invocation_args_dict, dbt_version and context were
 * undefined; config.get('materialized') and model.config gave None for a model with dbt's default view and
 * model.config missed the file's own config(); graph.exposures was always empty; model had no depends_on, refs or sources;
 * compile did not show print() and exceptions.warn output; exceptions.raise_not_implemented and
 * adapter.already_exists were missing.
 */
class DbtContextConstructsTest extends ProjectTest {

    /** name -> template of a model in models/sweep/; each compiles to its expected SQL below. */
    private static final Map<String, String[]> CASES = Map.ofEntries(
            Map.entry("c_return", new String[]{"{% macro add1(x) %}{{ return(x + 1) }}{% endmacro %}select {{ add1(1) }} as a",
                    "select 2 as a"}),
            Map.entry("c_project_name", new String[]{"select '{{ project_name }}' as p", "select 'shop' as p"}),
            Map.entry("c_graph_exposures", new String[]{"{% for id, e in graph.exposures.items() %}select '{{ id }}' as i, "
                    + "'{{ e.owner.email }}' as o, '{{ e.depends_on.nodes | join(\",\") }}' as d{% endfor %}",
                    "select 'exposure.shop.weekly_report' as i, 'ann@example.com' as o, 'model.shop.orders' as d"}),
            Map.entry("c_var_default_dict", new String[]{"{% set d = var('cfg', {'a': 1, 'b': [2, 3]}) %}select {{ d['a'] }} as a, {{ d.b[1] }} as b",
                    "select 1 as a, 3 as b"}),
            Map.entry("c_this_render", new String[]{"select {{ (this.render() == (this | string)) }} as same, '{{ this.identifier }}' as i",
                    "select True as same, 'c_this_render' as i"}),
            Map.entry("c_invocation_args", new String[]{"select '{{ invocation_args_dict.which }}' as w, "
                    + "'{{ invocation_args_dict.select | join(\",\") }}' as s", "select 'compile' as w, 'sweep' as s"}),
            Map.entry("c_dbt_version", new String[]{"select '{{ dbt_version }}' as v, {{ dbt_version.startswith('1.10') }} as ok",
                    "select '1.10.0' as v, True as ok"}),
            Map.entry("c_model_default", new String[]{"select '{{ model.config.materialized }}' as m, '{{ config.get(\"materialized\") }}' as c",
                    "select 'view' as m, 'view' as c"}),
            Map.entry("c_model_in_file", new String[]{"{{ config(materialized='table', tags=['t1']) }}select '{{ model.config.materialized }}' as m, "
                    + "'{{ model.config.tags | join(\",\") }}' as t, '{{ model.depends_on.nodes | join(\",\") }}' as d, "
                    + "'{{ model.package_name }}.{{ model.name }}' as n from {{ ref('stg_orders') }}",
                    "select 'table' as m, 't1' as t, 'model.shop.stg_orders' as d, 'shop.c_model_in_file' as n from \"main\".\"stg_orders\""}),
            Map.entry("c_model_refs", new String[]{"select '{{ model.refs | map(attribute='name') | join(\",\") }}' as r, "
                    + "'{% for s in model.sources %}{{ s[0] }}.{{ s[1] }}{% endfor %}' as s "
                    + "from {{ ref('stg_orders') }} join {{ source('raw', 'raw_orders') }} on true",
                    "select 'stg_orders' as r, 'raw.raw_orders' as s from \"main\".\"stg_orders\" join \"main\".\"raw_orders\" on true"}),
            Map.entry("c_context", new String[]{"select '{{ context['project_name'] }}' as p, '{{ context.get('nope', 'dflt') }}' as d, "
                    + "{{ 'ref' in context }} as r, {{ context['cents_to_dollars']('x') }} as m",
                    "select 'shop' as p, 'dflt' as d, True as r, round(cast(x as decimal(18, 4)) / 100, 2) as m"}),
            Map.entry("c_already_exists", new String[]{"select {{ adapter.already_exists(this.schema, 'stg_orders') }} as a, "
                    + "{{ adapter.already_exists(this.schema, 'no_such_table') }} as b", "select True as a, False as b"}));

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("models/marts/exposures.yml", """
                version: 2
                exposures:
                  - name: weekly_report
                    type: dashboard
                    owner: {name: Ann, email: ann@example.com}
                    depends_on: [ref('orders')]
                sources:
                  - name: raw
                    schema: main
                    tables: [{name: raw_orders}]
                """);
        return p;
    }

    @Test
    void dbtContextConstructsCompileAsDbtGivesThem() throws Exception {
        CliHarness p = project();
        CASES.forEach((name, c) -> p.write("models/sweep/" + name + ".sql", c[0] + "\n"));
        p.write("models/sweep/c_md5.sql", "select '{{ local_md5(\"abc\") }}' as h\n");
        p.write("models/sweep/c_source_columns.sql", "{% set cols = adapter.get_columns_in_relation(source('raw', 'raw_orders')) %}"
                + "select '{{ cols | map(attribute='name') | join(',') }}' as c\n");
        p.write("models/sweep/c_print_warn.sql", "{% do print('printed by c_print_warn') %}{% do exceptions.warn('warned by c_print_warn') %}"
                + "select 1 as a\n");
        assertEquals(0, p.run("build", "-s", "+stg_orders").exitCode());
        CliHarness.Result r = p.run("compile", "-s", "sweep");
        assertEquals(0, r.exitCode(), r.all());
        List<String> wrong = new ArrayList<>();
        CASES.forEach((name, c) -> {
            String sql = p.read("target/compiled/shop/models/sweep/" + name + ".sql").strip();
            if (!sql.equals(c[1])) wrong.add(name + ": got " + sql + "\n   expected " + c[1]);
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        // local_md5 against Java's MD5; the source's columns against the warehouse's own listing.
        String md5 = String.format("%032x", new BigInteger(1, MessageDigest.getInstance("MD5").digest("abc".getBytes(StandardCharsets.UTF_8))));
        assertEquals("select '" + md5 + "' as h", p.read("target/compiled/shop/models/sweep/c_md5.sql").strip());
        List<String> columns = new ArrayList<>();
        p.query("select column_name from information_schema.columns where table_schema = 'main' and table_name = 'raw_orders' "
                + "order by ordinal_position").forEach(row -> columns.add(String.valueOf(row.get("column_name"))));
        assertEquals("select '" + String.join(",", columns) + "' as c", p.read("target/compiled/shop/models/sweep/c_source_columns.sql").strip());
        // compile shows what templates print and warn, as build does.
        assertTrue(r.out().contains("printed by c_print_warn"), r.out());
        assertTrue(r.out().contains("[WARNING]: models/sweep/c_print_warn.sql:1: warned by c_print_warn"), r.out());
        // graph.nodes has no unit tests or exposures, as dbt's flat graph.
        p.write("models/sweep/c_graph_nodes.sql", "{% set ns = namespace(n=0) %}{% for k in graph.nodes %}"
                + "{% if k.startswith('exposure.') %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}"
                + "select {{ ns.n }} as exposures, {{ graph.nodes | length > 10 }} as has_nodes\n");
        CliHarness.Result g = p.run("compile", "-s", "c_graph_nodes");
        assertEquals(0, g.exitCode(), g.all());
        assertEquals("select 0 as exposures, True as has_nodes", p.read("target/compiled/shop/models/sweep/c_graph_nodes.sql").strip());
    }

    @Test
    void dbtContextConstructsThatCannotWorkAreErrorsWithFileAndLine() {
        CliHarness p = project();
        String[][] errors = {
                {"\n{{ exceptions.raise_not_implemented('no duckdb variant') }}select 1", "2", "Not implemented: no duckdb variant"},
                {"{{ exceptions.missing_config(model, 'unique_key') }}select 1",
                        "1", "Model 'model.shop.e_case' does not define a required config parameter 'unique_key'."},
                {"select 1\n{{ exceptions.no_such_raiser('x') }}", "2", "no_such_raiser"},
                {"select '{{ context['no_such_name'] }}'", "1", "no_such_name"},
                {"select '{{ model.no_such_key }}'", "1", "no_such_key"},
                {"select '{{ invocation_args_dict.no_such_arg }}'", "1", "no_such_arg"},
        };
        for (String[] e : errors) {
            p.write("models/sweep/e_case.sql", e[0] + "\n");
            CliHarness.Result r = p.run("compile", "-s", "e_case");
            assertEquals(2, r.exitCode(), e[0] + "\n" + r.all());
            assertTrue(r.err().contains("models/sweep/e_case.sql:" + e[1]), e[0] + "\n" + r.err());
            assertTrue(r.err().contains(e[2]), e[0] + "\n" + r.err());
        }
        // A materialization block for another adapter is not this one's: the model fails naming what it looked for.
        p.write("macros/mat.sql", "{% materialization mymat, adapter='postgres' %}{{ return({'relations': [this]}) }}{% endmaterialization %}\n");
        p.write("models/sweep/e_case.sql", "{{ config(materialized='mymat') }}select 1 as a\n");
        CliHarness.Result r = p.run("run", "-s", "e_case");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("materialized='mymat'") && r.out().contains("for adapter 'duckdb' or default"), r.out());
        assertFalse(r.out().contains("OK created"), r.out());
    }
}
