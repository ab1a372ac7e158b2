package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dbt-tests-adapter's `aliases` suite (tests/adapter/aliases/test_aliases.py) ported; each test names its dbt class. */
class AdapterAliasesTest extends AdapterSuite {

    /** A project macro that shadows dbt's string_literal, dispatched in the project's namespace, as dbt's fixture does. */
    private static final String CAST_MACRO = """
            {% macro string_literal(s) -%}
              {{ adapter.dispatch('string_literal', macro_namespace='test')(s) }}
            {%- endmacro %}

            {% macro default__string_literal(s) %}
                cast('{{ s }}' as text)
            {% endmacro %}
            """;
    /** A generic test: rows whose field is not the value fail. */
    private static final String EXPECT_VALUE = """
            {% test expect_value(model, field, value) %}
            select * from {{ model }} where {{ field }} != '{{ value }}'
            {% endtest %}
            """;

    private static String expect(String model, String value) {
        return "  - name: " + model + "\n    data_tests:\n      - expect_value:\n          field: tablename\n          value: " + value + "\n";
    }

    private static String nameOfThis(String config) {
        return config + "\nselect {{ string_literal(this.name) }} as tablename\n";
    }

    /** BaseAliases: this.name is the alias, from config() or dbt_project.yml; ref() still takes the file name. */
    @Test
    void aliasModelName() {
        CliHarness p = project("test", """
                models:
                  test:
                    alias_in_project:
                      +alias: project_alias
                    alias_in_project_with_override:
                      +alias: project_alias
                """, files(
                "macros/cast.sql", CAST_MACRO,
                "macros/expect_value.sql", EXPECT_VALUE,
                "models/schema.yml", "version: 2\nmodels:\n" + expect("foo_alias", "foo") + expect("ref_foo_alias", "ref_foo_alias")
                        + expect("alias_in_project", "project_alias") + expect("alias_in_project_with_override", "override_alias"),
                "models/foo_alias.sql", nameOfThis("{{ config(alias='foo', materialized='table') }}"),
                "models/alias_in_project.sql", nameOfThis(""),
                "models/alias_in_project_with_override.sql", nameOfThis("{{ config(alias='override_alias') }}"),
                "models/ref_foo_alias.sql", """
                        {{ config(materialized='table') }}
                        with upstream as (
                          -- a model is still referenced by its file name
                          select * from {{ ref('foo_alias') }}
                        )
                        select {{ string_literal(this.name) }} as tablename
                        """));
        expect(0, p, "run");
        assertEquals(4, results(p).size());
        assertEquals("table", p.relationType(S, "foo"));
        assertEquals("view", p.relationType(S, "project_alias"));
        assertEquals("view", p.relationType(S, "override_alias"));
        expect(0, p, "test");
        assertEquals(4, results(p).size());
        assertTrue(results(p).values().stream().allMatch("pass"::equals), results(p).toString());
    }

    /** BaseAliasErrors: two models with one alias in one schema are rejected before anything builds. */
    @Test
    void aliasDupeIsAnError() {
        CliHarness p = project("test", files(
                "macros/cast.sql", CAST_MACRO,
                "macros/expect_value.sql", EXPECT_VALUE,
                "models/model_a.sql", "{{ config(alias='duped_alias') }}\nselect 1 as id\n",
                "models/model_b.sql", "{{ config(alias='duped_alias') }}\nselect 1 as id\n"));
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("identical database representation"), r.all());
        assertTrue(r.all().contains("model_a") && r.all().contains("model_b"), r.all());
        assertEquals(null, p.relationType(S, "duped_alias"));
    }

    /** BaseSameAliasDifferentSchemas: one alias in three schemas (two custom) builds and tests. */
    @Test
    void sameAliasInDifferentSchemas() {
        CliHarness p = project("test", files(
                "macros/cast.sql", CAST_MACRO,
                "macros/expect_value.sql", EXPECT_VALUE,
                "models/schema.yml", "version: 2\nmodels:\n" + expect("model_a", "duped_alias") + expect("model_b", "duped_alias")
                        + expect("model_c", "duped_alias"),
                "models/model_a.sql", nameOfThis("{{ config(alias='duped_alias', schema='schema_a') }}"),
                "models/model_b.sql", nameOfThis("{{ config(alias='duped_alias', schema='schema_b') }}"),
                "models/model_c.sql", nameOfThis("-- the target schema\n{{ config(alias='duped_alias') }}")));
        expect(0, p, "run");
        assertEquals(3, results(p).size());
        assertEquals("view", p.relationType(S + "_schema_a", "duped_alias"));
        assertEquals("view", p.relationType(S + "_schema_b", "duped_alias"));
        assertEquals("view", p.relationType(S, "duped_alias"));
        expect(0, p, "test");
        assertEquals(3, results(p).size());
    }

    /** BaseSameAliasDifferentDatabases: the alias set for the whole project, one model in another schema. */
    @Test
    void sameAliasProjectWideWithAnotherSchema() {
        CliHarness p = project("test", """
                models:
                  test:
                    +alias: duped_alias
                    model_b:
                      +schema: alt
                """, files(
                "macros/cast.sql", CAST_MACRO,
                "macros/expect_value.sql", EXPECT_VALUE,
                "models/schema.yml", "version: 2\nmodels:\n" + expect("model_a", "duped_alias") + expect("model_b", "duped_alias"),
                "models/model_a.sql", nameOfThis(""),
                "models/model_b.sql", nameOfThis("")));
        expect(0, p, "run");
        assertEquals(2, results(p).size());
        assertEquals("view", p.relationType(S, "duped_alias"));
        assertEquals("view", p.relationType(S + "_alt", "duped_alias"));
        expect(0, p, "test");
        assertEquals(Map.of("expect_value_model_a_tablename__duped_alias", "pass",
                "expect_value_model_b_tablename__duped_alias", "pass"), results(p));
    }
}
