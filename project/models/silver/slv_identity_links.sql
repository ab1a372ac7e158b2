-- Identity unification: records the identity graph links (slv_identity_graph: exact e-mail or phone, or fuzzy
-- name + address, name + phone) are one person, transitively (a-b by e-mail and b-c by name + address make a, b
-- and c one). Each record maps to the smallest customer_id of its connected group. Written without a recursive
-- query, which Spark lacks: five rounds of path doubling link records up to 32 links apart (groups here are a
-- handful of records; a test checks it).
{% set rounds = 5 %}

with edges as (
    select from_id, to_id from {{ ref('slv_identity_graph') }}
    union
    select to_id, from_id from {{ ref('slv_identity_graph') }}
    union
    select customer_id, customer_id from {{ ref('slv_customers_clean') }}
),

{{ reach_by_doubling('edges', rounds) }}

select
    c.customer_id,
    coalesce(min(reach.to_id), c.customer_id) as unified_customer_id
from {{ ref('slv_customers_clean') }} c
left join reach_{{ rounds }} reach on reach.from_id = c.customer_id
group by c.customer_id
