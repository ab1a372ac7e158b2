-- Behaviour of the last 365 days shaped for clustering: levels on log scales and per month the account was open
-- (so a new customer is not "low spend" for having had less time), what a customer buys and where (shares by
-- category group and channel, which differ between segments whatever the level), the trend of the recent 90
-- days against the months before (bounded), tenure and credit limit on log scales.
with tx as (
    select
        f.customer_id,
        cast(f.amount as {{ type_double() }}) as amount,
        f.category_group,
        f.channel,
        {{ days_between('f.transaction_date', as_of_date()) }} as days_ago
    from {{ ref('fct_transactions') }} f
    where f.transaction_date > {{ add_days(as_of_date(), -365) }}
),

per_customer as (
    select
        customer_id,
        sum(amount) as spend,
        count(*) as transactions,
        sum(case when days_ago < 90 then amount else 0 end) as spend_recent,
        sum(case when days_ago >= 90 then amount else 0 end) as spend_before,
        -- Integer cases: an average of 1.0/0.0 is a decimal on Spark, kept to 5 places only.
        avg(case when category_group = 'Travel' then 1 else 0 end) as travel_share,
        avg(case when category_group = 'Essentials' then 1 else 0 end) as essentials_share,
        avg(case when category_group = 'Shopping' then 1 else 0 end) as shopping_share,
        avg(case when channel = 'In-Store' then 1 else 0 end) as in_store_share,
        avg(case when channel = 'Mobile' then 1 else 0 end) as mobile_share
    from tx
    group by customer_id
),

customers as (
    select
        c.customer_id,
        cast(c.credit_limit as {{ type_double() }}) as credit_limit,
        {{ days_between('c.account_open_date', as_of_date()) }} as tenure_days,
        -- Days of the window the account was open: the denominator of monthly rates.
        greatest(1, least(365, {{ days_between('c.account_open_date', as_of_date()) }})) as open_days
    from {{ ref('slv_customers') }} c
)

select
    c.customer_id,
    ln(1 + coalesce(p.spend, 0) * 30.0 / c.open_days) as log_monthly_spend,
    ln(1 + coalesce(p.transactions, 0) * 30.0 / c.open_days) as log_monthly_transactions,
    ln(1 + coalesce(p.spend / nullif(p.transactions, 0), 0)) as log_avg_ticket,
    cast(coalesce(p.travel_share, 0) as {{ type_double() }}) as travel_share,
    cast(coalesce(p.essentials_share, 0) as {{ type_double() }}) as essentials_share,
    cast(coalesce(p.shopping_share, 0) as {{ type_double() }}) as shopping_share,
    cast(coalesce(p.in_store_share, 0) as {{ type_double() }}) as in_store_share,
    cast(coalesce(p.mobile_share, 0) as {{ type_double() }}) as mobile_share,
    -- Monthly spend of the last 90 days (r) against the open days before them (b) as (r - b) / (r + b + 2), in
    -- (-1, 1): a customer who stopped reads -1 however much they spent before. The log ratio ln((1 + r) / (1 + b))
    -- (which this is tanh of, halved) ran to -9 for them, a tail that k-means split off as a 2% cluster of its own
    -- and the silhouette preferred to the planted segments (bench/README.md). 0 when there were no months before.
    case when c.open_days > 120
         then (coalesce(p.spend_recent, 0) * 30.0 / least(90, c.open_days)
               - coalesce(p.spend_before, 0) * 30.0 / (c.open_days - 90))
              / (2 + coalesce(p.spend_recent, 0) * 30.0 / least(90, c.open_days)
                 + coalesce(p.spend_before, 0) * 30.0 / (c.open_days - 90))
         else 0 end as spend_trend,
    ln(1 + greatest(0, least(c.tenure_days, 1095))) as log_tenure_days,
    ln(1 + c.credit_limit) as log_credit_limit
from customers c
left join per_customer p on p.customer_id = c.customer_id
