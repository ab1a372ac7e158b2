-- Identity unification: records sharing an exact key (normalized e-mail or phone digits) are one person,
-- transitively (a-b by e-mail and b-c by phone make a, b and c one). Each record maps to the smallest
-- customer_id of its connected group.
with recursive keys as (
    select customer_id, 'email:' || email as match_key
    from {{ ref('slv_customers_clean') }}
    where email is not null
    union all
    select customer_id, 'phone:' || phone_digits as match_key
    from {{ ref('slv_customers_clean') }}
    where phone_digits is not null
),

edges as (
    select distinct a.customer_id as from_id, b.customer_id as to_id
    from keys a
    join keys b on a.match_key = b.match_key
),

reach (from_id, to_id) as (
    select from_id, to_id from edges
    union
    select reach.from_id, edges.to_id
    from reach
    join edges on reach.to_id = edges.from_id
)

select
    c.customer_id,
    coalesce(min(reach.to_id), c.customer_id) as unified_customer_id
from {{ ref('slv_customers_clean') }} c
left join reach on reach.from_id = c.customer_id
group by c.customer_id
