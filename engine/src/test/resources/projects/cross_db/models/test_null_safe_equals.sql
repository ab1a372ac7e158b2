with data as (select key_name, cast(nullif(x, 'null') as integer) as x, cast(nullif(y, 'null') as integer) as y, expected
              from {{ ref('data_equals') }})
select expected as actual, 'same' as expected from data where {{ equals('x', 'y') }}
union all
select expected as actual, 'different' as expected from data where not {{ equals('x', 'y') }}
