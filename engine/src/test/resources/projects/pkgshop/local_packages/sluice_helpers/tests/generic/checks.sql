{% test is_even(model, column_name) %}
select * from {{ model }} where mod({{ column_name }}, 2) <> 0
{% endtest %}

{% test in_range(model, column_name, min, max) %}
{#- A generic test gets its model as a Relation, as in dbt. -#}
{%- do assert_relation(model) -%}
select * from {{ model }} where {{ column_name }} < {{ min }} or {{ column_name }} > {{ max }}
{% endtest %}

{# As dbt_expectations' type-list test: the column's type as get_columns_in_relation reports it. #}
{% test column_type_in(model, column_name, types) %}
{%- set wanted = types | map('upper') | list -%}
with actual as (
{%- for c in adapter.get_columns_in_relation(model) if c.name | lower == column_name | lower %}
    select '{{ c.dtype | upper }}' as column_type
{%- endfor %}
)
select * from actual where column_type not in ('{{ wanted | join("', '") }}')
{% endtest %}
