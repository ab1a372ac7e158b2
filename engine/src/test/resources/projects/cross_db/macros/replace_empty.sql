{% macro replace_empty(expr) -%}
case when {{ expr }} = 'EMPTY' then '' else {{ expr }} end
{%- endmacro %}
