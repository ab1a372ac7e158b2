{% set as_of = "(select max(transaction_date) from " ~ ref('slv_transactions') ~ ")" %}

with spend as (
    select
        customer_id,
        count(*) as transactions,
        sum(amount) as total_spend,
        avg(amount) as avg_transaction_value,
        max(transaction_date) as last_purchase_date,
        sum(case when transaction_date > {{ as_of }} - interval 90 day then amount else 0 end) as spend_90d
    from {{ ref('slv_transactions') }}
    group by customer_id
)

select
    c.customer_id,
    c.email,
    c.state,
    coalesce(s.transactions, 0) as transactions,
    coalesce(s.total_spend, 0) as total_spend,
    s.avg_transaction_value,
    coalesce(s.spend_90d, 0) as spend_90d,
    s.last_purchase_date,
    date_diff('day', s.last_purchase_date, {{ as_of }}) as days_since_last_purchase
from {{ ref('slv_customers') }} c
left join spend s on c.customer_id = s.customer_id
