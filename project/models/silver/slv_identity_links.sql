-- Identity unification: records sharing an exact key (normalized e-mail or phone digits) are one person,
-- transitively (a-b by e-mail and b-c by phone make a, b and c one). Each record maps to the smallest
-- customer_id of its connected group. Written without a recursive query, which Spark lacks: five rounds of
-- path doubling link records up to 32 keys apart (groups here are a handful of records; a test checks it).
{% set rounds = 5 %}

with keys as (
    {{ identity_match_keys(ref('slv_customers_clean')) }}
),

edges as (
    select distinct a.customer_id as from_id, b.customer_id as to_id
    from keys a
    join keys b on a.match_key = b.match_key
),

{{ reach_by_doubling('edges', rounds) }}

select
    c.customer_id,
    coalesce(min(reach.to_id), c.customer_id) as unified_customer_id
from {{ ref('slv_customers_clean') }} c
left join reach_{{ rounds }} reach on reach.from_id = c.customer_id
group by c.customer_id
