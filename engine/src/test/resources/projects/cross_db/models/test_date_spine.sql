with generated_dates as (
    {{ date_spine("day", "cast('2023-09-01' as date)", "cast('2023-09-10' as date)") }}
), expected_dates as (
    {% for d in range(1, 10) %}select cast('2023-09-0{{ d }}' as date) as expected{% if not loop.last %} union all {% endif %}{% endfor %}
)
select cast(g.date_day as date) as date_day, e.expected
from generated_dates g left join expected_dates e on cast(g.date_day as date) = e.expected
