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
)

select
    c.customer_id,
    {{ money('coalesce(sum(case when w.days_ago < 90 then w.amount end), 0)') }} as spend_90d,
    count(case when w.days_ago < 90 then 1 end) as transactions_90d,
    {{ decimal4("avg(case when w.days_ago < 90 then w.amount end)") }} as avg_ticket_90d,
    {{ money('coalesce(sum(case when w.days_ago >= 90 and w.days_ago < 180 then w.amount end), 0)') }} as spend_prev_90d,
    {{ decimal4("coalesce(sum(case when w.days_ago >= 90 and w.days_ago < 360 then w.amount end), 0) / 3") }} as spend_90d_earlier_avg,
    {{ decimal4("coalesce(sum(case when w.days_ago < 90 and w.category_group = 'Travel' then w.amount end), 0)
        / nullif(sum(case when w.days_ago < 90 then w.amount end), 0)") }} as travel_share_90d,
    {{ decimal4("count(case when w.days_ago < 90 and w.channel = 'Online' then 1 end) * 1.0
        / nullif(count(case when w.days_ago < 90 then 1 end), 0)") }} as online_share_90d,
    {{ decimal4("count(case when w.days_ago < 90 and w.channel = 'Mobile' then 1 end) * 1.0
        / nullif(count(case when w.days_ago < 90 then 1 end), 0)") }} as mobile_share_90d,
    count(distinct case when w.days_ago < 90 then w.category_group end) as category_groups_90d,
    min(w.days_ago) as days_since_last_purchase,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
left join windowed w on w.customer_id = c.customer_id
group by c.customer_id
