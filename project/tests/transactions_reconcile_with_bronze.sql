-- Approved spend in the fact table equals approved spend in bronze: nothing lost or double counted.
select bronze_spend, fact_spend
from (
    select
        (select sum(amount) from {{ ref('brz_transactions') }} where status = 'Approved') as bronze_spend,
        (select sum(amount) from {{ ref('fct_transactions') }}) as fact_spend
) totals
where abs(bronze_spend - fact_spend) > 0.01
