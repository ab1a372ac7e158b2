-- Rolling 90-day behaviour per customer as of the end of the data, with the 90 days before for trend and the
-- average 90 days of the 270 days before that (the customer's earlier level, before any recent decline).
with windowed as (
    select
        customer_id,
        amount,
        category_group,
        channel,
        transaction_date,
        {{ days_between('transaction_date', as_of_date()) }} as days_ago
    from {{ ref('fct_transactions') }}
),

-- Each customer's transactions aggregated first, then joined to the customers: joining all 13.4M transactions to
-- the customers before grouping cost DuckDB more CPU for the same rows. A customer without transactions gets the
-- values the aggregates give an empty group (counts 0, sums coalesced to 0, the rest null).
per_customer as (
    select
        customer_id,
        sum(case when days_ago < 90 then amount end) as spend_90d,
        count(case when days_ago < 90 then 1 end) as transactions_90d,
        avg(case when days_ago < 90 then amount end) as avg_ticket_90d,
        sum(case when days_ago >= 90 and days_ago < 180 then amount end) as spend_prev_90d,
        sum(case when days_ago >= 90 and days_ago < 360 then amount end) as spend_270d_before,
        sum(case when days_ago < 90 and category_group = 'Travel' then amount end) as travel_spend_90d,
        count(case when days_ago < 90 and channel = 'Online' then 1 end) as online_90d,
        count(case when days_ago < 90 and channel = 'Mobile' then 1 end) as mobile_90d,
        count(distinct case when days_ago < 90 then category_group end) as category_groups_90d,
        min(days_ago) as days_since_last_purchase
    from windowed
    group by customer_id
)

select
    c.customer_id,
    {{ money('coalesce(w.spend_90d, 0)') }} as spend_90d,
    coalesce(w.transactions_90d, 0) as transactions_90d,
    {{ decimal4("w.avg_ticket_90d") }} as avg_ticket_90d,
    {{ money('coalesce(w.spend_prev_90d, 0)') }} as spend_prev_90d,
    {{ decimal4("coalesce(w.spend_270d_before, 0) / 3") }} as spend_90d_earlier_avg,
    {{ decimal4("coalesce(w.travel_spend_90d, 0) / nullif(w.spend_90d, 0)") }} as travel_share_90d,
    {{ decimal4("coalesce(w.online_90d, 0) * 1.0 / nullif(coalesce(w.transactions_90d, 0), 0)") }} as online_share_90d,
    {{ decimal4("coalesce(w.mobile_90d, 0) * 1.0 / nullif(coalesce(w.transactions_90d, 0), 0)") }} as mobile_share_90d,
    coalesce(w.category_groups_90d, 0) as category_groups_90d,
    w.days_since_last_purchase,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
left join per_customer w on w.customer_id = c.customer_id
