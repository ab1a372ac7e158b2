{{ config(materialized='table', schema='activation') }}

-- Lookalike acquisition pool: customers ranked most like the high-value segment by the propensity model,
-- who are not already VIPs.
select
    p.customer_id,
    p.email,
    l.score as lookalike_score,
    l.rank as lookalike_rank,
    p.rfm_segment,
    p.ltv_12m
from {{ ref('lookalike_audience') }} l
join {{ ref('customer_scores') }} p on p.customer_id = l.id
where l.method = 'propensity'
