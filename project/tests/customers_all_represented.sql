-- Seed 001 check 4, customer representation: every generated customer record has transactions (the seed's
-- "all 50K"), counted both ways so a missing or an extra customer shows.
select customers, transacting
from (
    select
        (select count(*) from {{ ref('brz_customers') }}) as customers,
        (select count(distinct customer_id) from {{ ref('brz_transactions') }}) as transacting
) counts
where customers <> transacting
