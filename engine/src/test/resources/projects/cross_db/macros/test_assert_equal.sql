{% test assert_equal(model, actual, expected) %}
select * from {{ model }} where not {{ equals(actual, expected) }}
{% endtest %}
