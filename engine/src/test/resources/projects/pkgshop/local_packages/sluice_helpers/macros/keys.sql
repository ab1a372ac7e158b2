{# surrogate() calls _joined() of its own package by its bare name, as package macros do. #}
{% macro surrogate(columns) -%}
md5({{ _joined(columns) }})
{%- endmacro %}

{% macro _joined(columns) -%}
{%- for c in columns -%}
coalesce(cast({{ c }} as varchar), '_null_'){% if not loop.last %} || '-' || {% endif %}
{%- endfor -%}
{%- endmacro %}

{% macro scaled(column) -%}
({{ column }} * {{ var('helpers_multiplier') }})
{%- endmacro %}

{% macro hook_label() %}{{ project_name }} via sluice_helpers{% endmacro %}
