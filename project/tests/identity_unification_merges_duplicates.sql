-- Duplicate records share a normalized e-mail; after unification no two people may share one.
select email, count(*) as people
from {{ ref('slv_customers') }}
where email is not null
group by email
having count(*) > 1
