package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dbt's Jinja context as models use it: adapter, dispatch, api, config, through the CLI. */
class JinjaContextTest extends ProjectTest {

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("dbt_project.yml", p.read("dbt_project.yml") + """
                dispatch:
                  - macro_namespace: greetings
                    search_order: [shop, greetings]
                """);
        p.write("macros/context_macros.sql", """
                {# A project overrides one of dbt's global macros for every adapter. #}
                {% macro default__string_literal(value) %}upper('{{ value }}'){% endmacro %}

                {% macro greet(name) %}{{ return(adapter.dispatch('greet', 'greetings')(name)) }}{% endmacro %}
                {% macro default__greet(name) %}'hello ' || {{ name }}{% endmacro %}
                {% macro postgres__greet(name) %}'hello from postgres ' || {{ name }}{% endmacro %}
                {% macro duckdb__greet(name) %}'hello from duckdb ' || {{ name }}{% endmacro %}
                """);
        return p;
    }

    @Test
    void dispatchFindsTheAdapterVariantAndProjectOverridesOfDbtMacros() {
        CliHarness p = project();
        p.write("models/marts/ctx_dispatch.sql", """
                {{ config(materialized='table') }}
                select {{ greet("'ann'") }} as greeting,
                       {{ string_literal('x') }} as lit,
                       {{ dbt.string_literal('y') }} as lit2,
                       '{{ adapter.type() }}' as adapter_type
                """);
        CliHarness.Result r = p.run("build", "-s", "ctx_dispatch");
        assertEquals(0, r.exitCode(), r.all());
        String type = warehouse().isDuckDb() ? "duckdb" : "postgres";
        assertEquals(List.of(Map.of("greeting", "hello from " + type + " ann", "lit", "X", "lit2", "Y", "adapter_type", type)),
                p.query("select greeting, lit, lit2, adapter_type from main.ctx_dispatch"));
    }

    @Test
    void adapterAndConfigAnswerFromTheWarehouseAndTheNode() {
        CliHarness p = project();
        p.write("models/marts/ctx_adapter.sql", """
                {{ config(materialized='table', meta={'owner': 'ops'}) }}
                {%- set seed = adapter.get_relation(database=none, schema=this.schema, identifier='raw_orders') -%}
                {%- set missing = adapter.get_relation(database=none, schema=this.schema, identifier='no_such_table') -%}
                {%- set cols = adapter.get_columns_in_relation(ref('raw_orders')) -%}
                {%- set rel = api.Relation.create(schema='s1', identifier='t1') -%}
                select '{{ seed.identifier }}' as found,
                       {{ 'true' if seed.is_table else 'false' }} as found_is_table,
                       {{ 'true' if missing is none else 'false' }} as missing_is_none,
                       '{{ cols | map(attribute='name') | join(',') }}' as seed_columns,
                       '{{ config.get('materialized') }}' as materialized,
                       '{{ config.get('meta')['owner'] }}' as owner,
                       '{{ config.get('no_such_key', 'fallback') }}' as fallback,
                       '{{ adapter.quote('Mixed') }}' as quoted,
                       '{{ rel }}' as created,
                       '{{ this.include(database=false, schema=false) }}' as bare_name
                """);
        CliHarness.Result r = p.run("build", "-s", "+ctx_adapter");
        assertEquals(0, r.exitCode(), r.all());
        Map<String, Object> row = p.query("select * from main.ctx_adapter").get(0);
        assertEquals("raw_orders", row.get("found"));
        assertEquals(true, row.get("found_is_table"));
        assertEquals(true, row.get("missing_is_none"));
        // The seed's header, read independently here.
        String header = p.read("seeds/raw_orders.csv").lines().findFirst().orElseThrow();
        assertEquals(header, row.get("seed_columns"));
        assertEquals("table", row.get("materialized"));
        assertEquals("ops", row.get("owner"));
        assertEquals("fallback", row.get("fallback"));
        assertEquals("\"Mixed\"", row.get("quoted"));
        assertEquals("\"s1\".\"t1\"", row.get("created"));
        assertEquals("\"ctx_adapter\"", row.get("bare_name"));
    }

    @Test
    void missingRequiredConfigAndUnknownDispatchAreErrorsWithFileAndLine() {
        CliHarness p = project();
        p.write("models/marts/ctx_require.sql", "select 1 as a\n{{ config.require('unique_key') }}\n");
        CliHarness.Result r = p.run("compile", "-s", "ctx_require");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/marts/ctx_require.sql:2"), r.all());
        assertTrue(r.all().contains("unique_key"), r.all());

        p.delete("models/marts/ctx_require.sql");
        p.write("models/marts/ctx_nodispatch.sql", "select 1 as a,\n  {{ adapter.dispatch('nothing_here', 'greetings')() }} as b\n");
        r = p.run("compile", "-s", "ctx_nodispatch");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/marts/ctx_nodispatch.sql:2"), r.all());
        assertTrue(r.all().contains("duckdb__nothing_here") || r.all().contains("postgres__nothing_here"), r.all());
    }
}
