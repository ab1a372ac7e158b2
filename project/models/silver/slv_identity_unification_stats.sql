-- Unification statistics (seed 002 wf05): records in, persons out, and per rule the edges it made, the records
-- it linked, and the records it alone brought into a person (linked by no other rule).
with links as (
    select customer_id, unified_customer_id from {{ ref('slv_identity_links') }}
),

ends as (
    select rule, from_id as customer_id from {{ ref('slv_identity_graph') }}
    union all
    select rule, to_id from {{ ref('slv_identity_graph') }}
),

rules_per_record as (
    select customer_id, count(distinct rule) as rules from ends group by customer_id
),

edges as (
    select rule, count(*) as edges from {{ ref('slv_identity_graph') }} group by rule
),

per_rule as (
    select
        e.rule,
        count(distinct e.customer_id) as records_linked,
        count(distinct case when r.rules = 1 then e.customer_id end) as records_linked_only_by_rule
    from ends e
    join rules_per_record r on r.customer_id = e.customer_id
    group by e.rule
)

select 'all' as rule,
    (select count(*) from links) as records_in,
    (select count(distinct unified_customer_id) from links) as persons_out,
    (select count(*) from {{ ref('slv_identity_graph') }}) as edges,
    (select count(*) from rules_per_record) as records_linked,
    cast(null as bigint) as records_linked_only_by_rule
union all
select p.rule, null, null, g.edges, p.records_linked, p.records_linked_only_by_rule
from per_rule p
join edges g on g.rule = p.rule
