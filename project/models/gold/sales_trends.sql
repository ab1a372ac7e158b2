-- Monthly spend per category group with a three-month moving average.
with monthly as (
    select
        {{ month_start('transaction_date') }} as month_start,
        category_group,
        sum(amount) as total_spend,
        count(*) as transactions
    from {{ ref('fct_transactions') }}
    group by 1, 2
)

select
    month_start,
    category_group,
    {{ money('total_spend') }} as total_spend,
    transactions,
    {{ decimal4('avg(total_spend) over (
        partition by category_group order by month_start rows between 2 preceding and current row
    )') }} as spend_3m_moving_avg,
    {{ load_stamp() }}
from monthly
