-- The ML outputs joined back to the profile: what campaigns select from.
select
    p.customer_id,
    p.email,
    p.lifecycle_stage,
    p.rfm_segment,
    p.r_score,
    p.f_score,
    p.m_score,
    p.ltv_12m,
    p.ltv_before_decline,
    p.spend_90d,
    p.spend_90d_earlier_avg,
    p.days_since_last_purchase,
    p.travel_share_90d,
    a.segment_id,
    a.segment_name,
    c.churn_probability,
    -- 1 when the churn model predicts churn at its decision threshold (chosen on validation rows, see churn_metrics).
    c.label as churn_predicted,
    {{ load_stamp() }}
from {{ ref('customer_360_profile') }} p
left join {{ ref('segment_assignments') }} a on a.id = p.customer_id
left join {{ ref('churn_predictions') }} c on c.id = p.customer_id
