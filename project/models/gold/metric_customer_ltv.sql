-- Lifetime value: spend so far plus a 12-month projection weighted by how likely the customer is to stay.
with history as (
    select
        customer_id,
        sum(amount) as total_spend,
        count(*) as transactions,
        min(transaction_date) as first_purchase_date,
        max(transaction_date) as last_purchase_date,
        count(distinct {{ month_start('transaction_date') }}) as active_months
    from {{ ref('fct_transactions') }}
    group by customer_id
)

select
    c.customer_id,
    coalesce(h.total_spend, 0) as total_spend,
    coalesce(h.transactions, 0) as transactions,
    h.first_purchase_date,
    h.last_purchase_date,
    coalesce(h.active_months, 0) as active_months,
    round(cast(coalesce(h.total_spend / nullif(h.active_months, 0), 0) as {{ type_numeric() }}), 2) as avg_monthly_spend,
    round(cast(coalesce(h.total_spend, 0)
        + 12 * coalesce(h.total_spend / nullif(h.active_months, 0), 0)
          * case l.lifecycle_stage
                when 'active' then 0.9 when 'new' then 0.7 when 'at-risk' then 0.5 when 'lapsed' then 0.25 else 0.05
            end as {{ type_numeric() }}), 2) as ltv_12m
from {{ ref('slv_customers') }} c
left join history h on h.customer_id = c.customer_id
join {{ ref('customer_lifecycle') }} l on l.customer_id = c.customer_id
