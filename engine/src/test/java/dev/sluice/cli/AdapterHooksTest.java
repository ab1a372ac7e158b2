package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `hooks` suite (tests/adapter/hooks: test_run_hooks.py, test_model_hooks.py) ported: each hook
 * writes a row of what its Jinja context held into a table the test made first, and the test reads it back.
 */
class AdapterHooksTest extends AdapterSuite {

    private static final String COLUMNS = "test_state, target_dbname, target_host, target_name, target_schema, target_type,"
            + " target_user, target_pass, target_threads, run_started_at, invocation_id, thread_id";

    /** A target field; DuckDB targets have no host, user or dbname, where dbt-duckdb's Jinja would print nothing. */
    private String field(String name) {
        return warehouse().isDuckDb() ? "target.get('" + name + "', '')" : "target." + name;
    }

    /** The VALUES of one hook row for state. */
    private String values(String state) {
        return "('" + state + "', '{{ " + field("dbname") + " }}', '{{ " + field("host") + " }}', '{{ target.name }}',"
                + " '{{ target.schema }}', '{{ target.type }}', '{{ " + field("user") + " }}', '{{ target.get(\"pass\", \"\") }}',"
                + " {{ target.threads }}, '{{ run_started_at }}', '{{ invocation_id }}', '{{ thread_id }}')";
    }

    private String insert(String table, String state) {
        return "insert into {{ this.schema }}." + table + " (" + COLUMNS + ") values " + values(state);
    }

    /** dbt's seed_run.sql / seed_model.sql: the table the hooks write, made before the run. */
    private static void hookTable(CliHarness p, String table) {
        execute(p, "create schema if not exists " + S);
        execute(p, "drop table if exists " + S + "." + table);
        execute(p, "create table " + S + "." + table + " (test_state text, target_dbname text, target_host text,"
                + " target_name text, target_schema text, target_type text, target_user text, target_pass text,"
                + " target_threads integer, run_started_at text, invocation_id text, thread_id text)");
    }

    /** dbt's check_hooks: count rows for the state, each with the target and run as the context gave them. */
    private void checkHooks(CliHarness p, String table, String state, int count) {
        List<Map<String, Object>> rows = p.query("select " + COLUMNS + " from " + S + "." + table + " where test_state = '" + state + "'");
        assertEquals(count, rows.size(), state + " rows of " + table);
        for (Map<String, Object> row : rows) {
            assertEquals("dev", row.get("target_name"));
            assertEquals(S, row.get("target_schema"));
            assertEquals(2, ((Number) row.get("target_threads")).intValue());
            assertEquals(warehouse().toString(), row.get("target_type"));
            assertEquals("", row.get("target_pass"), "no password in the Jinja target");
            if (!warehouse().isDuckDb()) {
                assertEquals(p.scalar("select current_database()"), row.get("target_dbname"));
                assertEquals(p.scalar("select current_user"), row.get("target_user"));
                assertFalse(row.get("target_host").toString().isEmpty());
            }
            assertFalse(row.get("run_started_at").toString().isEmpty(), "run_started_at was not set");
            assertFalse(row.get("invocation_id").toString().isEmpty(), "invocation_id was not set");
            String thread = row.get("thread_id").toString();
            assertTrue(thread.startsWith("Thread-") || thread.equals("MainThread"), thread);
        }
    }

    private CliHarness runHooksProject() {
        CliHarness p = project("test", """
                on-run-start:
                  - "{{ custom_run_hook('start', target, run_started_at, invocation_id) }}"
                  - "create table {{ target.schema }}.start_hook_order_test ( id int )"
                  - "drop table {{ target.schema }}.start_hook_order_test"
                  - "{{ log(env_var('SLUICE_HOOK_TEST_TERM', 'TESTING'), info=True) }}"
                on-run-end:
                  - "{{ custom_run_hook('end', target, run_started_at, invocation_id) }}"
                  - "create table {{ target.schema }}.end_hook_order_test ( id int )"
                  - "drop table {{ target.schema }}.end_hook_order_test"
                  - "create table {{ target.schema }}.schemas ( schema text )"
                  - "insert into {{ target.schema }}.schemas (schema) values {% for schema in schemas %}( '{{ schema }}' ){% if not loop.last %},{% endif %}{% endfor %}"
                  - "create table {{ target.schema }}.db_schemas ( db text, schema text )"
                  - "insert into {{ target.schema }}.db_schemas (db, schema) values {% for db, schema in database_schemas %}('{{ db }}', '{{ schema }}' ){% if not loop.last %},{% endif %}{% endfor %}"
                seeds:
                  +quote_columns: false
                """, files(
                "macros/hook.sql", "{% macro hook() %}\n  select 1\n{% endmacro %}\n",
                "macros/before-and-after.sql", "{% macro custom_run_hook(state, target, run_started_at, invocation_id) %}\n"
                        + insert("on_run_hook", "{{ state }}").replace("{{ this.schema }}", "{{ target.schema }}")
                                .replace("'{{ state }}'", "'{{ state }}'") + "\n{% endmacro %}\n",
                "models/hooks.sql", "select 1 as id\n",
                "seeds/example_seed.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n"));
        hookTable(p, "on_run_hook");
        return p;
    }

    private void assertRunHooks(CliHarness p, CliHarness.Result r) {
        checkHooks(p, "on_run_hook", "start", 1);
        checkHooks(p, "on_run_hook", "end", 1);
        assertNull(p.relationType(S, "start_hook_order_test"));
        assertNull(p.relationType(S, "end_hook_order_test"));
        // The log() hook printed (env_var() values are masked in logs, so only its line is checked).
        assertTrue(r.out().contains("on-run-start hook"), r.out());
        assertEquals(List.of(S), p.query("select schema from " + S + ".schemas").stream().map(m -> m.get("schema")).toList());
        List<Map<String, Object>> db = p.query("select db, schema from " + S + ".db_schemas");
        assertEquals(1, db.size());
        assertEquals(p.scalar("select current_database()"), db.get(0).get("db"));
        assertEquals(S, db.get(0).get("schema"));
    }

    /** BasePrePostRunHooks.test_pre_and_post_run_hooks. */
    @Test
    void runHooksOnRun() {
        CliHarness p = runHooksProject();
        assertRunHooks(p, expect(0, p, "run"));
    }

    /** BasePrePostRunHooks.test_pre_and_post_seed_hooks. */
    @Test
    void runHooksOnSeed() {
        CliHarness p = runHooksProject();
        assertRunHooks(p, expect(0, p, "seed"));
    }

    /** BaseAfterRunHooks: an on-run-start hook whose query fails aborts the run with the database's error. */
    @Test
    void failingOnRunStartHook() {
        CliHarness p = project("test", """
                on-run-start:
                  - "{{ export_table_check() }}"
                """, files(
                "macros/temp_macro.sql", """
                        {% macro export_table_check() %}
                            {% set table = 'test_column' %}
                            {% set query %}
                                select column_name from {{ ref(table) }} limit 1
                            {% endset %}
                            {%- if flags.WHICH in ('run', 'build') -%}
                                {% set results = run_query(query) %}
                                {% if execute %}
                                    {%- if results.rows -%}
                                        {{ exceptions.raise_compiler_error("ON_RUN_START_CHECK_NOT_PASSED: already exported") }}
                                    {% else -%}
                                        {{ log("Nothing in " ~ table ~ " yet. Proceeding...", true) }}
                                    {%- endif -%}
                                {%- endif -%}
                            {%- endif -%}
                        {% endmacro %}
                        """,
                "models/test_column.sql", "select 1 as col\n"));
        CliHarness.Result r = p.run("run");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("Database Error"), r.all());
        assertNull(p.relationType(S, "test_column"), "no model runs after a failed on-run-start");
    }

    private String projectModelHooks(String pre, String post) {
        return "models:\n  test:\n    +" + pre + ":\n      - " + yamlString(insert("on_model_hook", "start"))
                + "\n      - {sql: \"vacuum {{ this.schema }}.on_model_hook\", transaction: false}\n"
                + "    +" + post + ":\n      - {sql: \"vacuum {{ this.schema }}.on_model_hook\", transaction: false}\n      - "
                + yamlString(insert("on_model_hook", "end")) + "\n";
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** BasePrePostModelHooks and TestPrePostModelHooksUnderscores: project hooks, some outside the transaction. */
    @Test
    void modelHooksFromTheProject() {
        for (String[] keys : List.of(new String[]{"pre-hook", "post-hook"}, new String[]{"pre_hook", "post_hook"})) {
            CliHarness p = project("test_" + keys[0].replace('-', '_'), projectModelHooks(keys[0], keys[1]).replace("  test:", "  test_" + keys[0].replace('-', '_') + ":"),
                    files("models/hooks.sql", "select 1 as id\n"));
            hookTable(p, "on_model_hook");
            expect(0, p, "run");
            checkHooks(p, "on_model_hook", "start", 1);
            checkHooks(p, "on_model_hook", "end", 1);
        }
    }

    private String hooksInConfigModel() {
        return "{{ config({\n    \"pre_hook\": " + yamlString(insert("on_model_hook", "start")) + ",\n    \"post-hook\": "
                + yamlString(insert("on_model_hook", "end")) + "\n}) }}\nselect 3 as id\n";
    }

    /** BasePrePostModelHooksInConfig: hooks given to config() as a dict, with both spellings of the key. */
    @Test
    void modelHooksInConfig() {
        CliHarness p = project("test", files("models/hooks.sql", hooksInConfigModel()));
        hookTable(p, "on_model_hook");
        expect(0, p, "run");
        checkHooks(p, "on_model_hook", "start", 1);
        checkHooks(p, "on_model_hook", "end", 1);
    }

    /** BasePrePostModelHooksInConfigWithCount: the project's hooks and the model's both run. */
    @Test
    void modelHooksInConfigAndProject() {
        CliHarness p = project("test", projectModelHooks("pre-hook", "post-hook"), files("models/hooks.sql", hooksInConfigModel()));
        hookTable(p, "on_model_hook");
        expect(0, p, "run");
        checkHooks(p, "on_model_hook", "start", 2);
        checkHooks(p, "on_model_hook", "end", 2);
    }

    /** BasePrePostModelHooksInConfigKwargs: config(pre_hook=..., post_hook=...). */
    @Test
    void modelHooksInConfigKwargs() {
        CliHarness p = project("test", files("models/hooks.sql", "{{ config(pre_hook=" + yamlString(insert("on_model_hook", "start"))
                + ", post_hook=" + yamlString(insert("on_model_hook", "end")) + ") }}\nselect 3 as id\n"));
        hookTable(p, "on_model_hook");
        expect(0, p, "run");
        checkHooks(p, "on_model_hook", "start", 1);
        checkHooks(p, "on_model_hook", "end", 1);
    }

    /** BaseHookRefs: hooks that select from ref()s, which become dependencies of the model. */
    @Test
    void hooksWithRefs() {
        String select = "insert into {{ this.schema }}.on_model_hook select test_state, '{{ " + field("dbname") + " }}',"
                + " '{{ " + field("host") + " }}', '{{ target.name }}', '{{ target.schema }}', '{{ target.type }}',"
                + " '{{ " + field("user") + " }}', '{{ target.get(\"pass\", \"\") }}', {{ target.threads }},"
                + " '{{ run_started_at }}', '{{ invocation_id }}', '{{ thread_id }}' from ";
        CliHarness p = project("test", "models:\n  test:\n    hooked:\n      +post-hook:\n        - "
                + yamlString(select + "{{ ref('post') }}") + "\n", files(
                "models/hooked.sql", "{{ config(pre_hook=" + yamlString(select + "{{ ref('pre') }}") + ") }}\nselect 1 as id\n",
                "models/post.sql", "select 'end' as test_state\n",
                "models/pre.sql", "select 'start' as test_state\n"));
        hookTable(p, "on_model_hook");
        expect(0, p, "run");
        checkHooks(p, "on_model_hook", "start", 1);
        checkHooks(p, "on_model_hook", "end", 1);
    }

    private static final String SEED_NEW_COL_TEST = "version: 2\nseeds:\n  - name: example_seed\n    columns:\n      - name: new_col\n"
            + "        data_tests:\n          - not_null\n";

    /** BasePrePostModelHooksOnSeeds, ...PlusPrefixed, ...PlusPrefixedWhitespace: seed post-hooks alter the loaded table. */
    @Test
    void hooksOnSeeds() {
        for (String key : List.of("post-hook", "+post-hook")) {
            String name = "seeds_" + (key.startsWith("+") ? "plus" : "plain");
            CliHarness p = project(name, "seeds:\n  " + key + ":\n    - \"alter table {{ this }} add column new_col int\"\n"
                    + "    - \"update {{ this }} set new_col = 1\"\n"
                    + (key.startsWith("+") ? "" : "    - \"select cast(null as {{ dbt.type_int() }}) as id\"\n")
                    + "  quote_columns: false\n", files(
                    "seeds/example_seed.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n",
                    "models/schema.yml", SEED_NEW_COL_TEST));
            expect(0, p, "seed");
            assertEquals(1, results(p).size());
            expect(0, p, "test");
            assertEquals(Map.of("not_null_example_seed_new_col", "pass"), results(p));
            assertEquals(3L, ((Number) p.scalar("select sum(new_col) from " + S + ".example_seed")).longValue());
        }
    }

    /** BaseHooksRefsOnSeeds: a seed hook may not ref() a model. */
    @Test
    void seedHookWithRefIsAParseError() {
        CliHarness p = project("test", "seeds:\n  +post-hook:\n    - \"select * from {{ ref('post') }}\"\n", files(
                "seeds/example_seed.csv", "a,b,c\n1,2,3\n",
                "models/schema.yml", SEED_NEW_COL_TEST,
                "models/post.sql", "select 'end' as test_state\n"));
        CliHarness.Result r = p.run("parse");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("Seeds cannot depend on other nodes"), r.all());
    }

    /** BasePrePostModelHooksOnSnapshots and BasePrePostSnapshotHooksInConfigKwargs: snapshot post-hooks, snapshots in another folder. */
    @Test
    void hooksOnSnapshots() {
        CliHarness p = project("test", """
                snapshot-paths: ["test-snapshots"]
                snapshots:
                  +post-hook:
                    - "alter table {{ this }} add column new_col int"
                    - "update {{ this }} set new_col = 1"
                seeds:
                  +quote_columns: false
                """, files(
                "seeds/example_seed.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n",
                "test-snapshots/snapshot.sql", """
                        {% snapshot example_snapshot %}
                        {{ config(target_schema=schema, unique_key='a', strategy='check', check_cols='all') }}
                        select * from {{ ref('example_seed') }}
                        {% endsnapshot %}
                        """,
                "models/schema.yml", "version: 2\nsnapshots:\n  - name: example_snapshot\n    columns:\n      - name: new_col\n"
                        + "        data_tests:\n          - not_null\n"));
        expect(0, p, "seed");
        assertEquals(1, results(p).size());
        expect(0, p, "snapshot");
        assertEquals(1, results(p).size());
        expect(0, p, "test");
        assertEquals(Map.of("not_null_example_snapshot_new_col", "pass"), results(p));
    }
}
