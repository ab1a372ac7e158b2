-- Average transaction value by month and channel.
select
    {{ month_start('transaction_date') }} as month_start,
    channel,
    count(*) as transactions,
    {{ money('sum(amount)') }} as total_spend,
    {{ decimal4('avg(amount)') }} as avg_transaction_value,
    {{ load_stamp() }}
from {{ ref('fct_transactions') }}
group by 1, 2
