{% do sluice_helpers.assert_relation(ref('orders')) %}
{% for n in sluice_helpers.numbers_when_executing() -%}
select {{ n }} as n {% if not loop.last %}union all {% endif %}
{% endfor %}
