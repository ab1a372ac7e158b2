with data as (select * from {{ ref('data_listagg') }}),
calculate as (
    select group_col, {{ listagg('string_text', "'_|_'", "order by order_col") }} as actual, 'bottom_ordered' as version
    from data group by group_col
    union all
    select group_col, {{ listagg('string_text', "'_|_'", "order by order_col", 2) }} as actual, 'bottom_ordered_limited' as version
    from data group by group_col
    union all
    select group_col, {{ listagg('string_text', "', '") }} as actual, 'comma_whitespace_unordered' as version
    from data where group_col = 3 group by group_col
    union all
    select group_col, {{ listagg('DISTINCT string_text', "','") }} as actual, 'distinct_comma' as version
    from data where group_col = 3 group by group_col
    union all
    select group_col, {{ listagg('string_text') }} as actual, 'no_params' as version
    from data where group_col = 3 group by group_col
)
select calculate.actual, o.expected
from calculate
left join {{ ref('data_listagg_output') }} o on calculate.group_col = o.group_col and calculate.version = o.version
