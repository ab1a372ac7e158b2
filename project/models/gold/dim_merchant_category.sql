-- Merchant categories with their group and how much of the spend they take.
with spend as (
    select merchant_category, count(*) as transactions, sum(amount) as total_spend
    from {{ ref('slv_transactions') }}
    where is_approved
    group by merchant_category
)

select
    g.merchant_category,
    g.category_group,
    g.is_discretionary,
    coalesce(s.transactions, 0) as transactions,
    {{ money('coalesce(s.total_spend, 0)') }} as total_spend,
    {{ decimal4('coalesce(s.total_spend, 0) / sum(s.total_spend) over ()') }} as spend_share,
    {{ load_stamp() }}
from {{ ref('merchant_category_groups') }} g
left join spend s on s.merchant_category = g.merchant_category
