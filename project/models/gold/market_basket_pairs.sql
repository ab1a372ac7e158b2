-- Category pairs bought by the same customer in the same week: support, confidence and lift.
-- Ratios divide doubles: Spark's decimal division keeps fewer places than DuckDB's and rounded a lift on a
-- 4-decimal edge the other way.
-- On DuckDB each (customer, week) basket becomes one bitmap of its categories (bit = the category's rank),
-- baskets are counted per distinct bitmap (a few thousand at most), and items and pairs are read from the bits:
-- the distinct (customer, week, category) rows (10.4M at 50,000 customers) and their self-join cost about
-- four times the CPU. A basket with a null customer or week is counted but pairs with nothing, as the join's
-- equality gives. Other warehouses keep the self-join. Each category's bit is key_bit (keys.sql) of its rank,
-- made once per category, so the 13.4M transactions only OR masks together.
{% if target.type == 'duckdb' -%}
with categories as (
    select
        merchant_category,
        case when category_rank <= 64 then {{ key_bit('category_rank - 1') }}
             else cast(error('market_basket_pairs: more than 64 merchant categories, one bitmap per basket holds 64') as ubigint)
        end as item_mask
    from (
        select merchant_category, row_number() over (order by merchant_category) as category_rank
        from (select distinct merchant_category from {{ ref('fct_transactions') }} where merchant_category is not null) d
    ) ranked
),

basket_items as (
    select
        t.customer_id is not null and {{ week_start('t.transaction_date') }} is not null as pairable,
        coalesce(bit_or(c.item_mask), cast(0 as ubigint)) as items
    from {{ ref('fct_transactions') }} t
    left join categories c on c.merchant_category = t.merchant_category
    group by t.customer_id, {{ week_start('t.transaction_date') }}
),

item_sets as (
    select pairable, items, count(*) as baskets
    from basket_items
    group by pairable, items
),

basket_count as (
    select cast(sum(baskets) as bigint) as n from item_sets
),

item_counts as (
    select c.merchant_category, cast(sum(s.baskets) as bigint) as baskets_with_item
    from item_sets s
    join categories c on "&"(s.items, c.item_mask) <> 0
    group by c.merchant_category
),

pairs as (
    select a.merchant_category as item_a, b.merchant_category as item_b, cast(sum(s.baskets) as bigint) as baskets_with_pair
    from item_sets s
    join categories a on "&"(s.items, a.item_mask) <> 0
    join categories b on "&"(s.items, b.item_mask) <> 0 and a.merchant_category < b.merchant_category
    where s.pairable
    group by 1, 2
)
{%- else -%}
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
{%- endif %}

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
