-- Lifecycle stage from recency and tenure; thresholds are project vars.
select
    c.customer_id,
    {{ days_between('c.account_open_date', as_of_date()) }} as tenure_days,
    s.days_since_last_purchase,
    case
        when {{ days_between('c.account_open_date', as_of_date()) }} <= {{ var('new_days') }} then 'new'
        when s.days_since_last_purchase is null then 'churned'
        when s.days_since_last_purchase <= {{ var('active_days') }} then 'active'
        when s.days_since_last_purchase <= {{ var('at_risk_days') }} then 'at-risk'
        when s.days_since_last_purchase <= {{ var('lapsed_days') }} then 'lapsed'
        else 'churned'
    end as lifecycle_stage,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
join {{ ref('customer_segments') }} s on s.customer_id = c.customer_id
