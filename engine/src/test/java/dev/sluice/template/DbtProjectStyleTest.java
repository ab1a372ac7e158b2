package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.error.CompilationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole templates written the way dbt projects write them. */
class DbtProjectStyleTest {

    static final Path MODEL = Path.of("models/fct_orders.sql");

    static final String MACROS = """
            {% macro generate_schema_name(custom_schema_name, node) -%}
                {%- set default_schema = target.schema -%}
                {%- if custom_schema_name is none -%}
                    {{ default_schema }}
                {%- else -%}
                    {{ default_schema }}_{{ custom_schema_name | trim }}
                {%- endif -%}
            {%- endmacro %}

            {% macro pivot_cols(values, prefix='amount_') %}
              {%- set cols = [] -%}
              {%- for v in values -%}
                {%- do cols.append("sum(case when method = '" ~ v ~ "' then amount end) as " ~ prefix ~ v) -%}
              {%- endfor -%}
              {{- return(cols) -}}
            {% endmacro %}
            """;

    @Test
    void realisticModel() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(Path.of("macros/util.sql"), MACROS)));
        Map<String, Object> cfg = new HashMap<>();
        Map<String, TemplateFunction> fns = TemplateEngineTest.dbtFunctions(cfg);
        Map<String, Object> vars = Map.of("target", Map.of("name", "dev", "schema", "analytics"),
                "this", new TemplateEngineTest.Relation("db", "analytics", "fct_orders"));
        String src = """
                {{
                  config(
                    materialized='incremental',
                    unique_key='order_id'
                  )
                }}
                {% set methods = ['card', 'cash'] %}
                select
                  order_id,
                  {{ pivot_cols(methods) | join(',\\n  ') }},
                  '{{ generate_schema_name(none, none) }}' as s1,
                  '{{ generate_schema_name(' x ', none) }}' as s2
                from {{ ref('stg_payments') }}
                {% if is_incremental() %}
                where loaded_at > (select max(loaded_at) from {{ this }})
                {% endif %}
                group by 1
                """;
        // Jinja keeps the newline after each tag: one after config's }}, one after the set.
        String expected = """


                select
                  order_id,
                  sum(case when method = 'card' then amount end) as amount_card,
                  sum(case when method = 'cash' then amount end) as amount_cash,
                  'analytics' as s1,
                  'analytics_x' as s2
                from main.stg_payments

                where loaded_at > (select max(loaded_at) from db.analytics.fct_orders)

                group by 1
                """;
        assertEquals(expected, e.render(MODEL, src, vars, fns));
        assertEquals("incremental", cfg.get("materialized"));
        assertEquals("order_id", cfg.get("unique_key"));
    }

    @Test
    void lineNumbersSurviveMultiLineTagsAndRewrites() {
        String src = """
                {{
                  config(
                    materialized='table',
                    tags=['a', 'b']
                  )
                }}
                {% for k, v in {'a': 1}.items() %}{{ k if v else 'none' }}{% endfor %}
                {% set x %}
                block
                {% endset %}
                {{ 'multi\\nline' }} {% if 'a' not in ['b'] %}ok{% endif %}
                {{ undefined_macro() }}
                """;
        CompilationException ex = assertThrows(CompilationException.class, () -> new TemplateEngine(List.of())
                .render(MODEL, src, Map.of(), TemplateEngineTest.dbtFunctions(new HashMap<>())));
        assertEquals(12, ex.location().orElseThrow().line());
    }
}
