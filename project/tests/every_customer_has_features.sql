-- Every cleaned customer must appear in the gold feature table.
select c.customer_id
from {{ ref('slv_customers') }} c
left join {{ ref('customer_features') }} f on c.customer_id = f.customer_id
where f.customer_id is null
