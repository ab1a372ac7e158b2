select
    customer_id,
    days_since_last_purchase,
    case
        when last_purchase_date is null then 'churned'
        when days_since_last_purchase <= {{ var('active_days') }} then 'active'
        when days_since_last_purchase <= {{ var('at_risk_days') }} then 'at-risk'
        when days_since_last_purchase <= {{ var('lapsed_days') }} then 'lapsed'
        else 'churned'
    end as lifecycle_stage
from {{ ref('customer_features') }}
