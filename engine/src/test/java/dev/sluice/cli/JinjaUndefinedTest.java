package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Jinja's Undefined as packages such as dbt-codegen rely on it, through the CLI: a name set under
 * {% if execute %} is passed to a macro while parsing, a missing attribute of a graph node is falsy
 * (node.raw_sql or node.raw_code), and a schema-only api.Relation prints as the schema. A misspelt name or a
 * printed missing attribute stays an error with file and line.
 */
class JinjaUndefinedTest extends ProjectTest {

    @Test
    void namesSetOnSomePathsAndMissingAttributesAreUndefined() {
        CliHarness p = copy("shop");
        p.write("macros/assert_same.sql", """
                {% macro assert_same(actual, expected) %}
                {% if not execute %}{# parsing: actual is undefined here #}
                {% elif actual != expected %}select 'fail: {{ actual }}' as why
                {% else %}select 1 as ok limit 0
                {% endif %}
                {% endmacro %}
                """);
        p.write("tests/test_undefined_until_execute.sql", """
                -- depends_on: {{ ref('customers') }}
                {% if execute %}
                {% set code = [] %}
                {% for n in graph.nodes.values() if n.name == 'customers' %}{% do code.append(n.raw_sql or n.raw_code) %}{% endfor %}
                {% set found = code[0] is defined and 'stg_customers' in code[0] %}
                {% endif %}
                {{ assert_same(found, true) }}
                """);
        p.write("macros/make_schema.sql", """
                {% macro schema_name() %}
                {% set s = api.Relation.create(database=target.database, schema=target.schema ~ '_extra') %}
                {{ return(s | string) }}
                {% endmacro %}
                """);
        p.write("models/marts/schema_only.sql", "select '{{ schema_name() | replace('\"', '') }}' as s\n");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("test_undefined_until_execute"), r.all());
        String printed = String.valueOf(p.scalar("select s from main.schema_only"));
        assertTrue(printed.endsWith("main_extra") && !printed.contains(".."), printed);

        p.write("models/marts/schema_only.sql", "select 1 as a\n");
        p.write("tests/test_undefined_until_execute.sql",
                "{% if execute %}{% set x = 1 %}{% endif %}\nselect {{ y }} as v limit 0\n");
        r = p.run("compile");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("tests/test_undefined_until_execute.sql:2") && r.err().contains("'y' is undefined"), r.err());
        p.write("tests/test_undefined_until_execute.sql", "{% set n = {'a': 1} %}\nselect {{ n.b }} as v limit 0\n");
        r = p.run("compile");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("tests/test_undefined_until_execute.sql:2") && r.err().contains("has no attribute 'b'"), r.err());
    }
}
