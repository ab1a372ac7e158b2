-- One row per calendar day covered by the transactions.
with bounds as (
    select min(transaction_date) as first_day, max(transaction_date) as last_day
    from {{ ref('slv_transactions') }}
),

series as (
    select {{ day_series('first_day', 'last_day') }} as day
    from bounds
),

days as (
    select cast(day as date) as day from series
)

select
    cast(extract(year from day) * 10000 + extract(month from day) * 100 + extract(day from day) as integer) as date_key,
    day as calendar_date,
    cast(extract(year from day) as integer) as year,
    cast(extract(quarter from day) as integer) as quarter,
    cast(extract(month from day) as integer) as month,
    {{ month_start('day') }} as month_start,
    cast({{ day_of_week('day') }} as integer) as day_of_week,
    {{ day_of_week('day') }} in (0, 6) as is_weekend,
    {{ load_stamp() }}
from days
