{#- Rows of one relation missing from the other, both ways: empty when the two hold the same rows. -#}
{% test relations_equal(model, compare_to) %}
(select * from {{ model }} {{ except() }} select * from {{ compare_to }})
union all
(select * from {{ compare_to }} {{ except() }} select * from {{ model }})
{% endtest %}
