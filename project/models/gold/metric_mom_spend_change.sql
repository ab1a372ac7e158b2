-- Month-over-month change of total approved spend and active customers.
with monthly as (
    select
        {{ month_start('transaction_date') }} as month_start,
        sum(amount) as total_spend,
        count(distinct customer_id) as active_customers
    from {{ ref('fct_transactions') }}
    group by 1
)

select
    month_start,
    total_spend,
    active_customers,
    lag(total_spend) over (order by month_start) as previous_month_spend,
    round(cast(100.0 * (total_spend - lag(total_spend) over (order by month_start))
        / nullif(lag(total_spend) over (order by month_start), 0) as {{ type_numeric() }}), 2) as spend_change_pct
from monthly
