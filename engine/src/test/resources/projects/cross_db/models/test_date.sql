with generated_dates as (
    {{ dbt.date_spine("day", date(2023, 9, 7), date(2023, 9, 10)) }}
), expected_dates as (
    select cast('2023-09-07' as date) as expected
    union all select cast('2023-09-08' as date) as expected
    union all select cast('2023-09-09' as date) as expected
)
select cast(g.date_day as date) as date_day, e.expected
from generated_dates g full outer join expected_dates e on cast(g.date_day as date) = e.expected
