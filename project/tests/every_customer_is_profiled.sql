-- Every unified customer appears in the 360 profile.
select c.customer_id
from {{ ref('slv_customers') }} c
left join {{ ref('customer_360_profile') }} p on p.customer_id = c.customer_id
where p.customer_id is null
