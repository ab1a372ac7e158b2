-- Clear contact details of every unified person, for the team allowed to see them: only the role crm_analyst
-- may read this table (project.yml's grants), where marketing reads gold, whose personal columns are hashed or
-- masked. Built from silver, which keeps the clear values identity unification needs.
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.email,
    c.phone_digits,
    a.street_address,
    c.city,
    c.state
from {{ ref('slv_customers') }} c
left join {{ ref('slv_customers_clean') }} a on a.customer_id = c.customer_id
