-- Identity unification runs a fixed number of rounds (slv_identity_links): had a group of linked records been
-- wider than they reach, two records sharing a key would keep different unified ids.
with keys as (
    {{ identity_match_keys(ref('slv_customers_clean')) }}
)

select a.customer_id, b.customer_id as linked_customer_id, la.unified_customer_id, lb.unified_customer_id as linked_unified_id
from keys a
join keys b on b.match_key = a.match_key
join {{ ref('slv_identity_links') }} la on la.customer_id = a.customer_id
join {{ ref('slv_identity_links') }} lb on lb.customer_id = b.customer_id
where la.unified_customer_id <> lb.unified_customer_id
