package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `basic` suite (tests/adapter/basic) ported as whole projects run through the CLI: each test
 * names the dbt test class it mirrors. The projects and data are our own; the commands and assertions are dbt's.
 */
class AdapterBasicTest extends AdapterSuite {

    static final String BASE_CSV = """
            id,name,some_date
            1,Ada,1980-01-15T08:00:00
            2,Brook,1975-06-30T12:30:00
            3,Cyril,1983-11-02T23:15:45
            4,Dana,1979-04-09T05:05:05
            5,Eli,1990-12-31T18:00:00
            6,Fay,1987-07-07T07:07:07
            7,Gus,1972-02-29T10:10:10
            8,Hana,1995-09-18T16:45:00
            9,Ivo,1969-03-03T03:03:03
            10,Jun,1999-10-10T10:10:10
            """;
    static final String ADDED_CSV = BASE_CSV + """
            11,Kai,2010-01-01T01:01:01
            12,Lea,2001-05-05T05:05:05
            13,Moe,2003-08-20T20:20:20
            14,Nia,2007-02-14T14:14:14
            15,Oto,2012-12-12T12:12:12
            16,Pia,2004-04-04T04:04:04
            17,Quin,2018-06-06T06:06:06
            18,Rae,2015-03-15T15:15:15
            19,Sol,2008-09-09T09:09:09
            20,Tam,2002-11-11T11:11:11
            """;
    static final String NEWCOLUMNS_CSV = """
            id,name,some_date,last_initial
            1,Ada,1980-01-15T08:00:00,A
            2,Brook,1975-06-30T12:30:00,B
            3,Cyril,1983-11-02T23:15:45,C
            """;
    /** A source whose schema and identifier are Jinja in YAML (seed_name picks the seed). */
    static final String SOURCE_YML = """
            version: 2
            sources:
              - name: raw
                schema: "{{ target.schema }}"
                tables:
                  - name: seed
                    identifier: "{{ var('seed_name', 'base') }}"
            """;
    static final String FROM_SOURCE = "\nselect * from {{ source('raw', 'seed') }}\n";

    private static String notNullTest(String model) {
        return "version: 2\nmodels:\n  - name: " + model + "\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n";
    }

    /** BaseSimpleMaterializations (test_base.py). */
    @Test
    void simpleMaterializations() {
        CliHarness p = project("base", files(
                "seeds/base.csv", BASE_CSV,
                "models/view_model.sql", "{{ config(materialized='view') }}" + FROM_SOURCE,
                "models/table_model.sql", "{{ config(materialized='table') }}" + FROM_SOURCE,
                "models/swappable.sql", "{{ config(materialized=var('materialized_var', 'table')) }}" + FROM_SOURCE,
                "models/schema.yml", SOURCE_YML));
        expect(0, p, "seed");
        assertEquals(Map.of("base", "success"), results(p));
        expect(0, p, "run");
        assertEquals(Map.of("view_model", "success", "table_model", "success", "swappable", "success"), results(p));
        assertEquals("table", p.relationType(S, "base"));
        assertEquals("view", p.relationType(S, "view_model"));
        assertEquals("table", p.relationType(S, "table_model"));
        assertEquals("table", p.relationType(S, "swappable"));
        assertEquals(10L, p.count(S + ".base"));
        relationsEqual(p, "base", "view_model", "table_model", "swappable");

        expect(0, p, "docs", "generate");

        expect(0, p, "run", "-m", "swappable", "--vars", "materialized_var: view");
        assertEquals(1, results(p).size());
        assertEquals("view", p.relationType(S, "swappable"));
        expect(0, p, "run", "-m", "swappable", "--vars", "materialized_var: incremental");
        assertEquals(1, results(p).size());
        assertEquals("table", p.relationType(S, "swappable"));
        relationsEqual(p, "base", "swappable");
    }

    /** BaseEmpty (test_empty.py): a project without nodes seeds, runs and documents nothing, writing its artifacts. */
    @Test
    void emptyProject() {
        CliHarness p = project("empty", files("models/.gitkeep", ""));
        expect(0, p, "seed");
        assertEquals(0, results(p).size());
        expect(0, p, "run");
        assertEquals(0, results(p).size());
        expect(0, p, "docs", "generate");
    }

    /** BaseEphemeral (test_ephemeral.py). */
    @Test
    void ephemeral() {
        CliHarness p = project("ephemeral", files(
                "seeds/base.csv", BASE_CSV,
                "models/ephemeral.sql", "{{ config(materialized='ephemeral') }}" + FROM_SOURCE,
                "models/view_model.sql", "{{ config(materialized='view') }}\nselect * from {{ ref('ephemeral') }}\n",
                "models/table_model.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('ephemeral') }}\n",
                "models/schema.yml", SOURCE_YML));
        expect(0, p, "seed");
        assertEquals(Map.of("base", "success"), results(p));
        expect(0, p, "run");
        assertEquals(Map.of("view_model", "success", "table_model", "success"), results(p));
        assertEquals(10L, p.count(S + ".base"));
        relationsEqual(p, "base", "view_model", "table_model");
        expect(0, p, "docs", "generate");
        JsonNode manifest = json(p, "target/manifest.json");
        assertEquals(4, manifest.path("nodes").size(), manifest.path("nodes").toString());
        assertEquals(1, manifest.path("sources").size());
    }

    /** BaseIncremental (test_incremental.py): the seed_name var repoints the source; new rows are appended. */
    @Test
    void incremental() {
        CliHarness p = project("incremental", files(
                "seeds/base.csv", BASE_CSV,
                "seeds/added.csv", ADDED_CSV,
                "models/incremental.sql", """
                        {{ config(materialized='incremental') }}
                        select * from {{ source('raw', 'seed') }}
                        {% if is_incremental() %}
                        where id > (select max(id) from {{ this }})
                        {% endif %}
                        """,
                "models/schema.yml", SOURCE_YML));
        expect(0, p, "seed");
        assertEquals(2, results(p).size());
        assertEquals(10L, p.count(S + ".base"));
        assertEquals(20L, p.count(S + ".added"));
        expect(0, p, "run", "--vars", "seed_name: base");
        assertEquals(1, results(p).size());
        relationsEqual(p, "base", "incremental");
        expect(0, p, "run", "--vars", "seed_name: added");
        assertEquals(1, results(p).size());
        relationsEqual(p, "added", "incremental");
        expect(0, p, "docs", "generate");
    }

    /** BaseIncrementalNotSchemaChange: sync_all_columns with an unchanged column set succeeds on the second run. */
    @Test
    void incrementalNotSchemaChange() {
        CliHarness p = project("incremental", files("models/incremental_not_schema_change.sql", """
                {{ config(materialized='incremental', unique_key='user_id_current_time', on_schema_change='sync_all_columns') }}
                select
                    1 || '-' || current_timestamp as user_id_current_time,
                    {% if is_incremental() %}
                        'a longer text on reruns' as platform
                    {% else %}
                        'first text' as platform
                    {% endif %}
                """));
        expect(0, p, "run", "--select", "incremental_not_schema_change");
        expect(0, p, "run", "--select", "incremental_not_schema_change");
        assertEquals(Map.of("incremental_not_schema_change", "success"), results(p));
        assertEquals(2L, p.count(S + ".incremental_not_schema_change"));
    }

    /** BaseIncrementalBadStrategy: an unknown incremental_strategy is the model's error, named as dbt names it. */
    @Test
    void incrementalBadStrategy() {
        CliHarness p = project("incremental", files(
                "seeds/base.csv", BASE_CSV,
                "seeds/added.csv", ADDED_CSV,
                "models/incremental.sql", """
                        {{ config(materialized='incremental', incremental_strategy='bad_strategy') }}
                        select * from {{ source('raw', 'seed') }}
                        {% if is_incremental() %}
                        where id > (select max(id) from {{ this }})
                        {% endif %}
                        """,
                "models/schema.yml", SOURCE_YML));
        expect(0, p, "seed");
        assertEquals(2, results(p).size());
        CliHarness.Result r = expect(1, p, "run");
        assertEquals(Map.of("incremental", "error"), results(p));
        String message = json(p, "target/run_results.json").path("results").get(0).path("message").asText();
        assertTrue(message.contains("could not find an incremental strategy macro with the name \"get_incremental_bad_strategy_sql\""),
                message + "\n" + r.all());
    }

    /** BaseGenericTests (test_generic_tests.py): tests on a seed (declared under seeds/) and on models. */
    @Test
    void genericTests() {
        CliHarness p = project("generic_tests", files(
                "seeds/base.csv", BASE_CSV,
                "seeds/schema.yml", notNullTest("base"),
                "models/view_model.sql", "{{ config(materialized='view') }}" + FROM_SOURCE,
                "models/table_model.sql", "{{ config(materialized='table') }}" + FROM_SOURCE,
                "models/schema.yml", SOURCE_YML,
                "models/schema_view.yml", notNullTest("view_model"),
                "models/schema_table.yml", notNullTest("table_model")));
        expect(0, p, "seed");
        expect(0, p, "test", "-m", "base");
        assertEquals(1, results(p).size());
        expect(0, p, "run");
        assertEquals(2, results(p).size());
        expect(0, p, "test");
        assertEquals(3, results(p).size());
        assertTrue(results(p).values().stream().allMatch("pass"::equals), results(p).toString());
    }

    /** BaseSingularTests (test_singular_tests.py). */
    @Test
    void singularTests() {
        CliHarness p = project("singular_tests", files(
                "tests/passing.sql", "select * from (select 1 as id) as sub where id = 2\n",
                "tests/failing.sql", "select * from (select 1 as id) as sub where id = 1\n"));
        expect(1, p, "test");
        assertEquals(Map.of("passing", "pass", "failing", "fail"), results(p));
    }

    private static final String EPHEMERAL_PASSING = """
            with over_a_thousand as (
                select id, name from {{ ref('ephemeral') }} where id > 1000
            )
            select name, id from over_a_thousand
            """;
    private static final String EPHEMERAL_FAILING = """
            with under_a_thousand as (
                select id, name from {{ ref('ephemeral') }} where id < 1000
            )
            select name, id from under_a_thousand
            """;

    /** BaseSingularTestsEphemeral (test_singular_tests_ephemeral.py): singular tests over an ephemeral model with a CTE. */
    @Test
    void singularTestsOnEphemeral() {
        CliHarness p = project("singular_tests_ephemeral", files(
                "seeds/base.csv", BASE_CSV,
                "models/ephemeral.sql", """
                        {{ config(materialized='ephemeral') }}
                        with named as (
                          select name, id from {{ ref('base') }}
                        )
                        select id, name from named where id is not null
                        """,
                "models/passing_model.sql", EPHEMERAL_PASSING,
                "models/failing_model.sql", EPHEMERAL_FAILING,
                "models/schema.yml", SOURCE_YML,
                "tests/passing.sql", EPHEMERAL_PASSING,
                "tests/failing.sql", EPHEMERAL_FAILING));
        expect(0, p, "seed");
        assertEquals(Map.of("base", "success"), results(p));
        expect(1, p, "test");
        assertEquals(Map.of("passing", "pass", "failing", "fail"), results(p));
        expect(0, p, "run");
        assertEquals(Map.of("passing_model", "success", "failing_model", "success"), results(p));
    }

    private static String checkSnapshot(String name, String checkCols) {
        return "{% snapshot " + name + " %}\n    {{ config(check_cols=" + checkCols + ", unique_key='id', strategy='check',"
                + " target_database=database, target_schema=schema) }}\n"
                + "    select * from {{ ref(var('seed_name', 'base')) }}\n{% endsnapshot %}\n";
    }

    /** A day later for the timestamps of ids 11-20 of the added seed (dbt's update_rows add_timestamp). */
    private static void bumpAddedTimestamps(CliHarness p) {
        execute(p, "update " + S + ".added set some_date = some_date + interval '1 day' where id > 10 and id < 21");
    }

    /** dbt's update_rows add_string on ids 1-10 of the added seed. */
    private static void renameAdded(CliHarness p) {
        execute(p, "update " + S + ".added set name = name || '_updated' where id < 11");
    }

    /** BaseSnapshotCheckCols (test_snapshot_check_cols.py). */
    @Test
    void snapshotCheckCols() {
        CliHarness p = project("snapshot_strategy_check_cols", files(
                "seeds/base.csv", BASE_CSV,
                "seeds/added.csv", ADDED_CSV,
                "snapshots/cc_all_snapshot.sql", checkSnapshot("cc_all_snapshot", "'all'"),
                "snapshots/cc_name_snapshot.sql", checkSnapshot("cc_name_snapshot", "['name']"),
                "snapshots/cc_date_snapshot.sql", checkSnapshot("cc_date_snapshot", "['some_date']")));
        expect(0, p, "seed");
        assertEquals(2, results(p).size());
        expect(0, p, "snapshot");
        assertEquals(Map.of("cc_all_snapshot", "success", "cc_name_snapshot", "success", "cc_date_snapshot", "success"), results(p));
        assertCounts(p, 10, 10, 10);

        expect(0, p, "--no-partial-parse", "snapshot", "--vars", "seed_name: added");
        assertTrue(results(p).values().stream().allMatch("success"::equals), results(p).toString());
        assertCounts(p, 20, 20, 20);

        bumpAddedTimestamps(p);
        expect(0, p, "snapshot", "--vars", "seed_name: added");
        assertCounts(p, 30, 20, 30);

        renameAdded(p);
        expect(0, p, "snapshot", "--vars", "seed_name: added");
        assertCounts(p, 40, 30, 30);
    }

    private static void assertCounts(CliHarness p, long all, long name, long date) {
        assertEquals(all, p.count(S + ".cc_all_snapshot"), "cc_all_snapshot");
        assertEquals(name, p.count(S + ".cc_name_snapshot"), "cc_name_snapshot");
        assertEquals(date, p.count(S + ".cc_date_snapshot"), "cc_date_snapshot");
    }

    /** BaseSnapshotTimestamp (test_snapshot_timestamp.py). */
    @Test
    void snapshotTimestamp() {
        CliHarness p = project("snapshot_strategy_timestamp", files(
                "seeds/base.csv", BASE_CSV,
                "seeds/newcolumns.csv", NEWCOLUMNS_CSV,
                "seeds/added.csv", ADDED_CSV,
                "snapshots/ts_snapshot.sql", """
                        {% snapshot ts_snapshot %}
                            {{ config(strategy='timestamp', unique_key='id', updated_at='some_date',
                                      target_database=database, target_schema=schema) }}
                            select * from {{ ref(var('seed_name', 'base')) }}
                        {% endsnapshot %}
                        """));
        expect(0, p, "seed");
        assertEquals(3, results(p).size());
        expect(0, p, "snapshot");
        assertEquals(1, results(p).size());
        assertEquals(10L, p.count(S + ".ts_snapshot"));
        expect(0, p, "snapshot", "--vars", "seed_name: added");
        assertEquals(20L, p.count(S + ".ts_snapshot"));
        bumpAddedTimestamps(p);
        expect(0, p, "snapshot", "--vars", "seed_name: added");
        assertEquals(30L, p.count(S + ".ts_snapshot"));
        // Only names change, the timestamps do not: no new versions.
        renameAdded(p);
        expect(0, p, "snapshot", "--vars", "seed_name: added");
        assertEquals(30L, p.count(S + ".ts_snapshot"));
    }

    /** BaseAdapterMethod (test_adapter_methods.py): drop_schema, get_relation, create_schema, get_columns_in_relation. */
    @Test
    void adapterMethods() {
        CliHarness p = project("adapter_methods", files(
                "models/upstream.sql", "select 1 as id\n",
                "models/expected.sql", "-- runs after model: {{ ref('model') }}\nselect 2 as id\n",
                "models/model.sql", """
                        {% set upstream = ref('upstream') %}
                        {% if execute %}
                            {%- do adapter.drop_schema(upstream) -%}
                            {% set existing = adapter.get_relation(upstream.database, upstream.schema, upstream.identifier) %}
                            {% if existing is not none %}
                                {% do exceptions.raise_compiler_error('upstream still exists after drop_schema') %}
                            {% endif %}
                            {%- do adapter.create_schema(upstream) -%}
                            {% do run_query(create_view_as(upstream, 'select 2 as id')) %}
                        {% endif %}
                        select * from {{ upstream }}
                        """,
                "tests/get_columns_in_relation.sql", """
                        {% set columns = adapter.get_columns_in_relation(ref('model')) %}
                        {% set limit_query = 0 %}
                        {% if (columns | length) == 0 %}
                            {% set limit_query = 1 %}
                        {% endif %}
                        select 1 as id limit {{ limit_query }}
                        """));
        expect(0, p, "compile");
        expect(0, p, "run");
        assertEquals(3, results(p).size());
        relationsEqual(p, "model", "expected");
    }

    /** BaseTableMaterialization (test_table_materialization.py): sort and dist are no-ops outside Redshift. */
    @Test
    void tableMaterializationSortDistNoOp() {
        CliHarness p = project("table_mat", files(
                "seeds/seed.csv", "id,first_name,last_name\n1,Ann,Lee\n2,Bo,Kim\n3,Cy,Roe\n",
                "models/materialized.sql", """
                        {{ config(materialized='table', sort='first_name', dist='first_name') }}
                        select * from {{ this.schema }}.seed
                        """));
        expect(0, p, "seed");
        assertEquals(1, results(p).size());
        expect(0, p, "run");
        assertEquals(1, results(p).size());
        relationsEqual(p, "seed", "materialized");
    }

    /** BaseValidateConnection (test_validate_connection.py): `debug` checks the profile's connection. */
    @Test
    void validateConnection() {
        CliHarness p = project("validate", files("models/one.sql", "select 1 as id\n"));
        CliHarness.Result r = expect(0, p, "debug");
        assertTrue(r.out().toLowerCase().contains("connection"), r.out());
    }
}
