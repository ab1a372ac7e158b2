with data as (select key_name, cast(nullif(x, 'null') as integer) as x, cast(nullif(y, 'null') as integer) as y, expected
              from {{ ref('data_equals') }})
select count(*) as actual, 2 as expected from data where {{ dbt.equals('x', 'y') }}
