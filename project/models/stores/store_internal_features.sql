-- Each store's share of sales per need state (what it sells, whatever its size) and its average weekly sales,
-- with the hidden archetype as the reference the clustering is evaluated against.
with by_state as (
    select store_id, need_state, sum(sales_amount) as sales
    from {{ ref('stg_store_sales') }}
    group by store_id, need_state
),

per_store as (
    select store_id, sum(sales_amount) as sales, count(distinct week_start) as weeks
    from {{ ref('stg_store_sales') }}
    group by store_id
)

select
    p.store_id,
    {%- for state in ['Fresh', 'Pantry', 'Household', 'Personal Care', 'Indulgence'] %}
    cast(sum(case when b.need_state = '{{ state }}' then b.sales else 0 end) as {{ type_double() }})
        / cast(p.sales as {{ type_double() }}) as {{ state | lower | replace(' ', '_') }}_share,
    {%- endfor %}
    cast(p.sales as {{ type_double() }}) / p.weeks as avg_weekly_sales,
    a.internal_archetype
from per_store p
join by_state b on b.store_id = p.store_id
join {{ source('store_files', 'store_archetypes') }} a on a.store_id = p.store_id
group by p.store_id, p.sales, p.weeks, a.internal_archetype
