-- Identity unification runs a fixed number of rounds (slv_identity_links): had a group of linked records been
-- wider than they reach, two records the identity graph links would keep different unified ids.
select g.from_id, g.to_id, g.rule, la.unified_customer_id, lb.unified_customer_id as linked_unified_id
from {{ ref('slv_identity_graph') }} g
join {{ ref('slv_identity_links') }} la on la.customer_id = g.from_id
join {{ ref('slv_identity_links') }} lb on lb.customer_id = g.to_id
where la.unified_customer_id <> lb.unified_customer_id
