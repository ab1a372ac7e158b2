with calculate as (
    select key_name, {{ any_value('static_col') }} as static_col, count(id) as num_rows
    from {{ ref('data_any_value') }}
    group by key_name
)
select calculate.num_rows as actual, e.num_rows as expected
from calculate
left join {{ ref('data_any_value_expected') }} e
  on calculate.key_name = e.key_name and calculate.static_col = e.static_col
