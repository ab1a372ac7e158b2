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
    {{ money('total_spend') }} as total_spend,
    active_customers,
    {{ money('lag(total_spend) over (order by month_start)') }} as previous_month_spend,
    {{ decimal4('100.0 * (total_spend - lag(total_spend) over (order by month_start))
        / nullif(lag(total_spend) over (order by month_start), 0)') }} as spend_change_pct,
    {{ load_stamp() }}
from monthly
