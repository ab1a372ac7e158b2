{{ config(materialized='table', schema='activation') }}

-- The size of every campaign audience in this build and its share of all customers, so each build reports who
-- would be contacted (an empty or runaway audience shows at a glance; tests/campaign_audiences_within_expected_share.sql
-- checks the shares).
with customers as (
    select count(*) as n from {{ ref('customer_scores') }}
),

audiences as (
    select 'winback_at_risk_high_value' as campaign, count(*) as members from {{ ref('winback_at_risk_high_value') }}
    union all
    select 'vip_early_access', count(*) from {{ ref('vip_early_access') }}
    union all
    select 'lookalike_acquisition', count(*) from {{ ref('lookalike_acquisition') }}
)

select
    a.campaign,
    a.members,
    c.n as customers,
    {{ decimal4('a.members * 1.0 / c.n') }} as audience_share
from audiences a
cross join customers c
