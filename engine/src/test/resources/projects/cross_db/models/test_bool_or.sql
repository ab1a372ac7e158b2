with calculate as (
    select key_column, {{ bool_or('val1 = val2') }} as value
    from {{ ref('data_bool_or') }}
    group by key_column
)
select calculate.value as actual, e.value as expected
from calculate left join {{ ref('data_bool_or_expected') }} e on calculate.key_column = e.key_column
