-- Training data for the churn model. Features: churn_feature_rows (macros/churn.sql) as of a cutoff
-- churn_window_days before the end of the data: spend and transactions over windows before it, the last 90
-- days against the customer's own history, recency against their usual gap, the largest recent ticket's share,
-- declined attempts, category breadth, channel and travel shares, tenure, credit limit, age. Nothing after the
-- cutoff is read (ChurnFeaturesTest deletes it and finds the same features).
-- Label churned = spend attrition, as card issuers define it: in the churn_window_days after the cutoff the
-- customer spent less than churn_drop_ratio of what they spent in the 90 days before it (or nothing).
-- Customers who had not bought by the cutoff are left out. Today's scores come from the same features as of
-- today (churn_scoring_features), not from these rows.
with features as (
    {{ churn_feature_rows(churn_cutoff()) }}
),

after_cutoff as (
    select customer_id, sum(amount) as spend_after
    from {{ ref('fct_transactions') }}
    where transaction_date > {{ churn_cutoff() }}
      and transaction_date <= {{ add_days(churn_cutoff(), var('churn_window_days')) }}
    group by customer_id
)

select
    f.*,
    case
        when coalesce(a.spend_after, 0) < {{ var('churn_drop_ratio') }} * f.spend_last_90d then 1
        else 0
    end as churned
from features f
left join after_cutoff a on a.customer_id = f.customer_id
