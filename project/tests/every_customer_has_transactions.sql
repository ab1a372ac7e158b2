-- The generator gives every customer record at least one transaction: none may be missing in bronze.
select c.customer_id
from {{ ref('raw_customers') }} c
where not exists (select 1 from {{ ref('raw_transactions') }} t where t.customer_id = c.customer_id)
