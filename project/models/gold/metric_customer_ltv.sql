-- Lifetime value: spend so far plus a 12-month projection weighted by how likely the customer is to stay
-- (ltv_12m); and the value before any recent decline (ltv_before_decline): 12 months at the customer's
-- monthly rate over the 270 days before the last 90, undiscounted, so a valuable customer who just fell away
-- still counts as valuable (the win-back campaign's measure).
with history as (
    select
        customer_id,
        sum(amount) as total_spend,
        count(*) as transactions,
        min(transaction_date) as first_purchase_date,
        max(transaction_date) as last_purchase_date,
        count(distinct {{ month_start('transaction_date') }}) as active_months,
        sum(case when {{ days_between('transaction_date', as_of_date()) }} >= 90
                  and {{ days_between('transaction_date', as_of_date()) }} < 360 then amount else 0 end) as spend_before_decline
    from {{ ref('fct_transactions') }}
    group by customer_id
)

select
    c.customer_id,
    {{ money('coalesce(h.total_spend, 0)') }} as total_spend,
    coalesce(h.transactions, 0) as transactions,
    h.first_purchase_date,
    h.last_purchase_date,
    coalesce(h.active_months, 0) as active_months,
    {{ decimal4('coalesce(h.total_spend / nullif(h.active_months, 0), 0)') }} as avg_monthly_spend,
    {{ decimal4("coalesce(h.total_spend, 0)
        + 12 * coalesce(h.total_spend / nullif(h.active_months, 0), 0)
          * case l.lifecycle_stage
                when 'active' then 0.9 when 'new' then 0.7 when 'at-risk' then 0.5 when 'lapsed' then 0.25 else 0.05
            end") }} as ltv_12m,
    {{ decimal4('coalesce(h.spend_before_decline, 0) * 12 / 9') }} as ltv_before_decline,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
left join history h on h.customer_id = c.customer_id
join {{ ref('customer_lifecycle') }} l on l.customer_id = c.customer_id
