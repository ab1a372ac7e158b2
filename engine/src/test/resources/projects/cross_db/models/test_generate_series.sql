with generated_numbers as (
    {{ dbt.generate_series(10) }}
), expected_numbers as (
    {% for k in range(1, 11) %}select {{ k }} as expected{% if not loop.last %} union all {% endif %}{% endfor %}
)
select g.generated_number, e.expected
from generated_numbers g left join expected_numbers e on g.generated_number = e.expected
