-- Everything known about a customer in one row: identity, value, recent behaviour, RFM and lifecycle. The
-- pii columns are hashed (e-mail: SHA-256 of the normalized address) or masked unless the target may see them.
select
    c.customer_id,
    {{ pii_mask_name('c.first_name') }} as first_name,
    {{ pii_mask_name('c.last_name') }} as last_name,
    {{ pii_hash('c.email') }} as email,
    c.email_is_valid,
    {{ pii_mask_phone('c.phone_digits') }} as phone_digits,
    c.age,
    c.state,
    c.city,
    c.employment_status,
    c.card_type,
    c.credit_limit,
    c.account_open_date,
    c.source_records,
    v.total_spend,
    v.transactions,
    v.first_purchase_date,
    v.last_purchase_date,
    v.avg_monthly_spend,
    v.ltv_12m,
    v.ltv_before_decline,
    s.spend_90d,
    s.transactions_90d,
    s.avg_ticket_90d,
    s.spend_prev_90d,
    s.spend_90d_earlier_avg,
    s.travel_share_90d,
    s.online_share_90d,
    s.mobile_share_90d,
    s.category_groups_90d,
    s.days_since_last_purchase,
    r.r_score,
    r.f_score,
    r.m_score,
    r.rfm_segment,
    l.lifecycle_stage,
    l.tenure_days,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
join {{ ref('metric_customer_ltv') }} v on v.customer_id = c.customer_id
join {{ ref('customer_segments') }} s on s.customer_id = c.customer_id
join {{ ref('rfm_scores') }} r on r.customer_id = c.customer_id
join {{ ref('customer_lifecycle') }} l on l.customer_id = c.customer_id
