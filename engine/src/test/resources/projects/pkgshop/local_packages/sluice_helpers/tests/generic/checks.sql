{% test is_even(model, column_name) %}
select * from {{ model }} where mod({{ column_name }}, 2) <> 0
{% endtest %}

{% test in_range(model, column_name, min, max) %}
{#- A generic test gets its model as a Relation, as in dbt. -#}
{%- do assert_relation(model) -%}
select * from {{ model }} where {{ column_name }} < {{ min }} or {{ column_name }} > {{ max }}
{% endtest %}
