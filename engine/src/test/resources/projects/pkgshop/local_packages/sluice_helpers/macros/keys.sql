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

{# As dbt_utils._is_relation: a ref() is a mapping whose metadata type names a Relation. #}
{% macro assert_relation(obj) %}
{%- if not (obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation')) -%}
{%- do exceptions.raise_compiler_error("expected a Relation, got " ~ obj) -%}
{%- endif -%}
{% endmacro %}

{# Empty while parsing (execute is false), as dbt_utils.get_column_values returns [] then. #}
{% macro numbers_when_executing() %}
{%- if not execute -%}{{ return([]) }}{%- endif -%}
{{ return([1, 2]) }}
{% endmacro %}

{# The name get_columns_in_relation gives a text column, per adapter (dbt_expectations' type_string()). #}
{% macro text_type() %}{{ return(adapter.dispatch('text_type', 'sluice_helpers')()) }}{% endmacro %}
{% macro default__text_type() %}{{ return('varchar') }}{% endmacro %}
{% macro postgres__text_type() %}{{ return('text') }}{% endmacro %}
