-- Training data for the churn model: behaviour up to a cutoff churn_window_days before the end, and the
-- label churned = spend attrition, as card issuers define it: in the window after the cutoff the customer
-- spent less than churn_drop_ratio of what they spent in the same length of time before it (or nothing).
-- Customers who had not bought before the cutoff are left out.
{% set cutoff = add_days(as_of_date(), -var('churn_window_days')) %}

with before_cutoff as (
    select
        customer_id,
        sum(amount) as spend_total,
        count(*) as transactions_total,
        sum(case when transaction_date > {{ add_days(cutoff, -var('churn_window_days')) }} then amount else 0 end) as spend_last_90d,
        sum(case when transaction_date <= {{ add_days(cutoff, -90) }} and transaction_date > {{ add_days(cutoff, -180) }} then amount else 0 end) as spend_prev_90d,
        count(case when transaction_date > {{ add_days(cutoff, -90) }} then 1 end) as transactions_last_90d,
        count(case when transaction_date <= {{ add_days(cutoff, -90) }} and transaction_date > {{ add_days(cutoff, -180) }} then 1 end) as transactions_prev_90d,
        min({{ days_between('transaction_date', cutoff) }}) as recency_days,
        count(distinct merchant_category) as categories,
        avg(case when channel = 'Online' then 1.0 else 0.0 end) as online_share,
        avg(case when category_group = 'Travel' then 1.0 else 0.0 end) as travel_share
    from {{ ref('fct_transactions') }}
    where transaction_date <= {{ cutoff }}
    group by customer_id
),

after_cutoff as (
    select customer_id, sum(amount) as spend_after
    from {{ ref('fct_transactions') }}
    where transaction_date > {{ cutoff }}
      and transaction_date <= {{ add_days(cutoff, var('churn_window_days')) }}
    group by customer_id
)

select
    b.customer_id,
    cast(b.spend_total as {{ type_double() }}) as spend_total,
    b.transactions_total,
    cast(b.spend_last_90d as {{ type_double() }}) as spend_last_90d,
    cast(b.spend_prev_90d as {{ type_double() }}) as spend_prev_90d,
    b.transactions_last_90d,
    b.transactions_prev_90d,
    b.recency_days,
    b.categories,
    cast(b.online_share as {{ type_double() }}) as online_share,
    cast(b.travel_share as {{ type_double() }}) as travel_share,
    {{ days_between('c.account_open_date', cutoff) }} as tenure_days,
    cast(c.credit_limit as {{ type_double() }}) as credit_limit,
    case
        when coalesce(a.spend_after, 0) < {{ var('churn_drop_ratio') }} * b.spend_last_90d then 1
        else 0
    end as churned
from before_cutoff b
join {{ ref('slv_customers') }} c on c.customer_id = b.customer_id
left join after_cutoff a on a.customer_id = b.customer_id
