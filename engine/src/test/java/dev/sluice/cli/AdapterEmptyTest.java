package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** dbt-tests-adapter's `empty` suite (tests/adapter/empty/test_empty.py) ported: --empty on run, seed and build. */
class AdapterEmptyTest extends AdapterSuite {

    private static final String SOURCES = """
            sources:
              - name: seed_sources
                schema: "{{ target.schema }}"
                tables:
                  - name: raw_source
            """;

    /** BaseTestEmpty.test_run_with_empty: refs, an ephemeral ref and a source all read nothing under --empty. */
    @Test
    void runWithEmpty() {
        CliHarness p = project("test", files(
                "seeds/raw_source.csv", "id\n3\n",
                "models/model_input.sql", "select 1 as id\n",
                "models/ephemeral_model_input.sql", "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
                "models/model.sql", """
                        select * from {{ ref('model_input') }}
                        union all
                        select * from {{ ref('ephemeral_model_input') }}
                        union all
                        select * from {{ source('seed_sources', 'raw_source') }}
                        """,
                "models/sources.yml", SOURCES));
        expect(0, p, "seed");
        expect(0, p, "run");
        assertEquals(3L, p.count(S + ".model"));
        expect(0, p, "run", "--empty");
        assertEquals(0L, p.count(S + ".model"));
    }

    /** BaseTestEmptyInlineSourceRef: a source with an alias of its own in the SQL. */
    @Test
    void inlineSourceRef() {
        CliHarness p = project("test", files(
                "seeds/raw_source.csv", "id\n3\n",
                "models/model.sql", "select * from {{ source('seed_sources', 'raw_source') }} as raw_source\n",
                "models/sources.yml", SOURCES));
        expect(0, p, "seed");
        expect(0, p, "run", "--empty", "--debug");
        assertEquals(0L, p.count(S + ".model"));
    }

    private static final String TYPED_SEED = "id,name,price,is_active,created_at\n1,Ana,1.23,true,2024-01-01 00:00:00\n"
            + "2,Ben,99.99,false,2024-06-15 12:30:00\n";

    private CliHarness seedProject() {
        return project("test", files("seeds/raw_seed.csv", TYPED_SEED, "models/model.sql", "select * from {{ ref('raw_seed') }}\n"));
    }

    /** BaseTestEmptySeedFlag: seed --empty makes the table, with the types a full load gives, and no rows. */
    @Test
    void seedEmpty() {
        CliHarness p = seedProject();
        expect(0, p, "seed", "--empty");
        assertEquals(0L, p.count(S + ".raw_seed"));
        List<String> emptyTypes = types(p);
        expect(0, p, "seed", "--full-refresh");
        assertEquals(2L, p.count(S + ".raw_seed"));
        assertEquals(emptyTypes, types(p), "--empty infers the column types a full load does");
        expect(0, p, "seed");
        assertEquals(2L, p.count(S + ".raw_seed"));
    }

    /** BaseTestEmptySeedFlag.test_build_empty_with_seed. */
    @Test
    void buildEmptyWithSeed() {
        CliHarness p = seedProject();
        expect(0, p, "build", "--empty");
        assertEquals(0L, p.count(S + ".raw_seed"));
        assertEquals(Map.of("raw_seed", "success", "model", "success"), results(p));
        // The empty load is not taken for the full one: a plain seed loads the rows.
        expect(0, p, "seed");
        assertEquals(2L, p.count(S + ".raw_seed"));
    }

    private static List<String> types(CliHarness p) {
        return p.query("select data_type from information_schema.columns where table_schema = '" + S
                + "' and table_name = 'raw_seed' order by ordinal_position").stream().map(m -> m.get("data_type").toString()).toList();
    }

    /** MetadataWithEmptyFlag.test_run: metadata macros on a seed work in a --empty run. */
    @Test
    void metadataWithEmptyFlag() {
        CliHarness p = project("test", files(
                "seeds/my_seed.csv", "my_id,my_value\n1,a\n2,b\n3,c\n",
                "models/schema.yml", "version: 2\nseeds:\n  - name: my_seed\n    description: the seed\n    columns:\n"
                        + "      - name: my_id\n        description: its id\n",
                "models/control.sql", "select * from {{ ref('my_seed') }}\n",
                "models/get_columns_in_relation.sql", "{{ config(materialized='table') }}\n"
                        + "{% set columns = adapter.get_columns_in_relation(ref('my_seed')) %}\nselect * from {{ ref('my_seed') }}\n",
                "models/alter_relation_comment.sql", "{{ config(materialized='table', persist_docs={'relation': true}) }}\n"
                        + "select * from {{ ref('my_seed') }}\n",
                "models/alter_column_comment.sql", "{{ config(materialized='table', persist_docs={'columns': true}) }}\n"
                        + "select * from {{ ref('my_seed') }}\n",
                "models/alter_column_type.sql", "{{ config(materialized='table') }}\n"
                        + "{{ alter_column_type(ref('my_seed'), 'my_value', 'varchar') }}\nselect * from {{ ref('my_seed') }}\n",
                "models/alter_relation_add_remove_columns.sql", """
                        {{ config(materialized='table') }}
                        {% set my_seed = adapter.Relation.create(this.database, this.schema, 'my_seed', 'table') %}
                        {% set my_column = api.Column('my_column', 'varchar') %}
                        {% do alter_relation_add_remove_columns(my_seed, [my_column], none) %}
                        {% do alter_relation_add_remove_columns(my_seed, none, [my_column]) %}
                        select * from {{ ref('my_seed') }}
                        """,
                "models/truncate_relation.sql", """
                        {{ config(materialized='table') }}
                        {{ truncate_relation(ref('my_seed')) }}
                        select * from {{ ref('my_seed') }}
                        """));
        expect(0, p, "seed");
        // alter_column_type first: PostgreSQL changes the type in place and refuses it once the view "control" reads
        // the column (a clear error, where dbt's default drops the column with cascade and the view with it).
        for (String model : List.of("alter_column_type", "control", "get_columns_in_relation", "alter_relation_comment",
                "alter_column_comment", "alter_relation_add_remove_columns", "truncate_relation")) {
            expect(0, p, "run", "--empty", "--select", model);
            assertEquals(Map.of(model, "success"), results(p));
            assertEquals(0L, p.count(S + "." + model), model);
        }
        // alter_relation_add_remove_columns added my_column, then removed it: the seed has its own two columns again.
        assertEquals(List.of("my_id", "my_value"), p.query("select column_name from information_schema.columns where table_schema = '"
                + S + "' and table_name = 'my_seed' order by ordinal_position").stream()
                .map(m -> m.get("column_name").toString()).toList());
    }
}
