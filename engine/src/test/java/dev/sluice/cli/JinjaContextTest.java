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
                       '{{ this.include(database=false, schema=false) }}' as bare_name,
                       '{{ this.database or '' }}' as this_database,
                       '{{ this.information_schema('columns') }}' as info_schema_columns,
                       {#- audit_helper reads a relation's columns so on PostgreSQL. #}
                       (select count(*) from {{ ref('raw_orders').information_schema('columns') }}
                        where table_schema = '{{ this.schema }}' and table_name = 'raw_orders') as seed_column_count
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
        // The relation's database, quoted, when the relation names one (this engine's relations name none on
        // DuckDB and PostgreSQL: the connection's database; DuckDB has no <catalog>.information_schema anyway).
        String db = row.get("this_database").toString();
        assertEquals((db.isEmpty() ? "" : "\"" + db + "\".") + "INFORMATION_SCHEMA.columns", row.get("info_schema_columns"));
        assertEquals((long) header.split(",").length, ((Number) row.get("seed_column_count")).longValue());
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

    @Test
    void runQueryStatementModulesGraphAndFlags() throws Exception {
        CliHarness p = project();
        p.write("dbt_project.yml", p.read("dbt_project.yml") + """
                on-run-end:
                  - "create table {{ target.schema }}.hook_schemas as select '{{ schemas | join(',') }}' as s, {{ selected_resources | length }} as n"
                """);
        p.write("models/marts/ctx_query.sql", """
                {{ config(materialized='table') }}
                {%- set res = run_query("select count(*) as n from " ~ ref('raw_orders')) -%}
                {%- call statement('max_id', fetch_result=True) -%} select max(id) as m from {{ ref('raw_orders') }} {%- endcall -%}
                {%- set loaded = load_result('max_id') -%}
                {%- set dt = modules.datetime.datetime(2024, 1, 31, 10, 5, 0) -%}
                {%- set nxt = dt + modules.datetime.timedelta(days=1) -%}
                {{ log('hello from log', info=True) }}
                {%- do exceptions.warn('careful now') -%}
                select {{ res.rows[0][0] if execute else 0 }} as n_orders,
                  {{ res.columns[0].values()[0] if execute else 0 }} as n_orders2,
                  {{ loaded['data'][0][0] if execute else 0 }} as max_id,
                  '{{ nxt.strftime('%Y-%m-%d %H:%M') }}' as next_day,
                  '{{ modules.re.sub('[aeiou]', '_', 'banana') }}' as re_sub,
                  {{ modules.itertools.product([1, 2], [3]) | length }} as n_product,
                  '{{ tojson({'a': 1}) }}' as j,
                  {{ fromjson('{"k": 5}')['k'] }} as fj,
                  '{{ local_md5('abc') }}' as md5,
                  '{{ graph.nodes['model.shop.customers'].resource_type }}' as graph_type,
                  '{{ graph.nodes['model.shop.customers'].depends_on.nodes | length > 0 }}' as graph_deps,
                  '{{ flags.WHICH }}' as which,
                  '{{ run_started_at.strftime('%Y') }}' as started_year,
                  {{ invocation_id | length }} as inv_len,
                  '{{ 'model.shop.ctx_query' in selected_resources }}' as self_selected,
                  '{{ 'model.shop.customers' in selected_resources }}' as other_selected
                """);
        CliHarness.Result r = p.run("build", "-s", "+ctx_query");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("hello from log"), r.out());
        assertTrue(r.out().contains("careful now"), r.out());
        Map<String, Object> row = p.query("select * from main.ctx_query").get(0);
        // The seed, read independently.
        List<String> lines = p.read("seeds/raw_orders.csv").lines().skip(1).filter(l -> !l.isBlank()).toList();
        long maxId = lines.stream().mapToLong(l -> Long.parseLong(l.split(",")[0])).max().orElseThrow();
        assertEquals((long) lines.size(), ((Number) row.get("n_orders")).longValue());
        assertEquals((long) lines.size(), ((Number) row.get("n_orders2")).longValue());
        assertEquals(maxId, ((Number) row.get("max_id")).longValue());
        assertEquals("2024-02-01 10:05", row.get("next_day"));
        assertEquals("b_n_n_", row.get("re_sub"));
        assertEquals(2L, ((Number) row.get("n_product")).longValue());
        assertEquals("{\"a\": 1}", row.get("j"));
        assertEquals(5L, ((Number) row.get("fj")).longValue());
        assertEquals("900150983cd24fb0d6963f7d28e17f72", row.get("md5"));
        assertEquals("model", row.get("graph_type"));
        assertEquals("True", row.get("graph_deps"));
        assertEquals("build", row.get("which"));
        assertEquals(String.valueOf(java.time.Year.now(java.time.ZoneOffset.UTC).getValue()), row.get("started_year"));
        assertEquals(36L, ((Number) row.get("inv_len")).longValue());
        assertEquals("True", row.get("self_selected"));
        assertEquals("False", row.get("other_selected"));
        Map<String, Object> hook = p.query("select * from main.hook_schemas").get(0);
        assertEquals("main", hook.get("s"));
        assertTrue(((Number) hook.get("n")).longValue() >= 2, hook.toString());
    }

    @Test
    void docBlocksFillDescriptionsAndAnUnknownDocIsAnError() {
        CliHarness p = project();
        p.write("models/docs.md", "{% docs customers_doc %}\nOne row per customer, with **order history**.\n{% enddocs %}\n");
        String schema = p.read("models/marts/schema.yml");
        p.write("models/marts/schema.yml", schema.replace("description: Customers with their order history.",
                "description: \"{{ doc('customers_doc') }}\""));
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(p.read("target/manifest.json").contains("One row per customer, with **order history**."),
                "the manifest has the doc block's text");

        p.write("models/marts/schema.yml", schema.replace("description: Customers with their order history.",
                "description: \"{{ doc('no_such_doc') }}\""));
        r = p.run("compile");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("no_such_doc"), r.all());
        assertTrue(r.all().contains("models/marts/schema.yml:4"), r.all());
    }

    @Test
    void materializationBlocksBuildModelsThatAskForThem() {
        CliHarness p = project();
        p.write("macros/marked_table.sql", """
                {% materialization marked_table, default %}
                  {%- set target_relation = this.incorporate(type='table') -%}
                  {{ run_hooks(pre_hooks) }}
                  {{ drop_relation_if_exists(load_cached_relation(this)) }}
                  {% call statement('main') -%}
                    {{ get_create_table_as_sql(False, target_relation, 'select src.*, 42 as marker from (' ~ sql ~ ') as src') }}
                  {%- endcall %}
                  {{ run_hooks(post_hooks) }}
                  {{ return({'relations': [target_relation]}) }}
                {% endmaterialization %}
                """);
        p.write("models/marts/ctx_marked.sql", """
                {{ config(materialized='marked_table', post_hook="create table {{ this.schema }}.ctx_marked_hook as select 1 as ran") }}
                select id, status from {{ ref('raw_orders') }}
                """);
        CliHarness.Result r = p.run("build", "-s", "+ctx_marked");
        assertEquals(0, r.exitCode(), r.all());
        long seedRows = p.read("seeds/raw_orders.csv").lines().skip(1).filter(l -> !l.isBlank()).count();
        assertEquals(seedRows, p.count("main.ctx_marked"));
        assertEquals(List.of(Map.of("marker", 42)), p.query("select distinct marker from main.ctx_marked"));
        assertEquals(1L, p.count("main.ctx_marked_hook"));
        // Built again over the existing table, which the block drops first.
        p.write("models/marts/ctx_marked.sql", "{{ config(materialized='marked_table') }}\nselect id from {{ ref('raw_orders') }} where id = 1\n");
        r = p.run("run", "-s", "ctx_marked");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.ctx_marked"));

        p.write("models/marts/ctx_marked.sql", "{{ config(materialized='no_such_materialization') }}\nselect 1 as a\n");
        r = p.run("run", "-s", "ctx_marked");
        // An error of that model, as dbt reports a missing materialization, naming it and the file.
        assertTrue(r.exitCode() != 0, r.all());
        assertTrue(r.all().contains("materialized='no_such_materialization'"), r.all());
        assertTrue(r.all().contains("models/marts/ctx_marked.sql"), r.all());
    }
    /**
     * dbt's alter_column_type and alter_relation_add_remove_columns, called from a macro through run-operation on
     * a relation made with adapter.Relation.create: the warehouse's own catalog shows the new type, the added column
     * and the dropped one.
     */
    @Test
    void alterMacrosChangeTheRelationAsTheWarehouseShows() {
        CliHarness p = project();
        p.write("models/marts/alter_me.sql", "{{ config(materialized='table') }}\nselect 1 as id, 'a' as name\n");
        p.write("macros/alter_it.sql", """
                {% macro alter_it() %}
                  {% set rel = adapter.Relation.create(database=target.database, schema=target.schema, identifier='alter_me') %}
                  {% do alter_column_type(rel, 'id', 'bigint') %}
                  {% do alter_relation_add_remove_columns(rel, [api.Column('note', 'varchar')], [api.Column('name', 'varchar')]) %}
                {% endmacro %}
                """);
        assertEquals(0, p.run("run", "-s", "alter_me").exitCode());
        CliHarness.Result r = p.run("run-operation", "alter_it");
        assertEquals(0, r.exitCode(), r.all());
        List<String> columns = new java.util.ArrayList<>();
        p.query("select column_name, data_type from information_schema.columns where table_schema = 'main' "
                + "and table_name = 'alter_me' order by ordinal_position")
                .forEach(row -> columns.add(row.get("column_name") + " " + String.valueOf(row.get("data_type")).toLowerCase(java.util.Locale.ROOT)));
        assertEquals(List.of("id bigint", "note " + (warehouse().isDuckDb() ? "varchar" : "character varying")), columns);
        assertEquals(1L, ((Number) p.scalar("select id from main.alter_me")).longValue(), "the value survives the type change");
    }
}
