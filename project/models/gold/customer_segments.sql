-- Rolling 90-day behaviour per customer as of the end of the data, with the 90 days before for trend.
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
    coalesce(sum(case when w.days_ago < 90 then w.amount end), 0) as spend_90d,
    count(case when w.days_ago < 90 then 1 end) as transactions_90d,
    round(cast(avg(case when w.days_ago < 90 then w.amount end) as {{ type_numeric() }}), 2) as avg_ticket_90d,
    coalesce(sum(case when w.days_ago >= 90 and w.days_ago < 180 then w.amount end), 0) as spend_prev_90d,
    round(cast(coalesce(sum(case when w.days_ago < 90 and w.category_group = 'Travel' then w.amount end), 0)
        / nullif(sum(case when w.days_ago < 90 then w.amount end), 0) as {{ type_numeric() }}), 4) as travel_share_90d,
    round(cast(count(case when w.days_ago < 90 and w.channel = 'Online' then 1 end) * 1.0
        / nullif(count(case when w.days_ago < 90 then 1 end), 0) as {{ type_numeric() }}), 4) as online_share_90d,
    round(cast(count(case when w.days_ago < 90 and w.channel = 'Mobile' then 1 end) * 1.0
        / nullif(count(case when w.days_ago < 90 then 1 end), 0) as {{ type_numeric() }}), 4) as mobile_share_90d,
    count(distinct case when w.days_ago < 90 then w.category_group end) as category_groups_90d,
    min(w.days_ago) as days_since_last_purchase
from {{ ref('slv_customers') }} c
left join windowed w on w.customer_id = c.customer_id
group by c.customer_id
