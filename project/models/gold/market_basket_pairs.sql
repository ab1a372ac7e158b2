-- Category pairs bought by the same customer in the same week: support, confidence and lift.
-- Ratios divide doubles: Spark's decimal division keeps fewer places than DuckDB's and rounded a lift on a
-- 4-decimal edge the other way.
with baskets as (
    select distinct
        customer_id,
        {{ week_start('transaction_date') }} as week_start,
        merchant_category
    from {{ ref('fct_transactions') }}
),

basket_count as (
    select count(*) as n from (select distinct customer_id, week_start from baskets) b
),

item_counts as (
    select merchant_category, count(*) as baskets_with_item
    from baskets
    group by merchant_category
),

pairs as (
    select a.merchant_category as item_a, b.merchant_category as item_b, count(*) as baskets_with_pair
    from baskets a
    join baskets b
      on a.customer_id = b.customer_id
     and a.week_start = b.week_start
     and a.merchant_category < b.merchant_category
    group by 1, 2
)

select
    p.item_a,
    p.item_b,
    p.baskets_with_pair,
    {{ decimal4('cast(p.baskets_with_pair as ' ~ type_double() ~ ') / bc.n') }} as support,
    {{ decimal4('cast(p.baskets_with_pair as ' ~ type_double() ~ ') / ia.baskets_with_item') }} as confidence_a_to_b,
    {{ decimal4('cast(p.baskets_with_pair * bc.n as ' ~ type_double() ~ ') / (ia.baskets_with_item * ib.baskets_with_item)') }} as lift,
    {{ load_stamp() }}
from pairs p
cross join basket_count bc
join item_counts ia on ia.merchant_category = p.item_a
join item_counts ib on ib.merchant_category = p.item_b
