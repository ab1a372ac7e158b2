-- Average transaction value by month and channel.
select
    {{ month_start('transaction_date') }} as month_start,
    channel,
    count(*) as transactions,
    sum(amount) as total_spend,
    round(cast(avg(amount) as {{ type_numeric() }}), 2) as avg_transaction_value
from {{ ref('fct_transactions') }}
group by 1, 2
