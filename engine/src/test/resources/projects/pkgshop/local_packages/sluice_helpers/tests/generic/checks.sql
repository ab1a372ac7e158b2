{% test is_even(model, column_name) %}
select * from {{ model }} where mod({{ column_name }}, 2) <> 0
{% endtest %}

{% test in_range(model, column_name, min, max) %}
select * from {{ model }} where {{ column_name }} < {{ min }} or {{ column_name }} > {{ max }}
{% endtest %}
