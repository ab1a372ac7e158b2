{# The churn model's features for every customer who bought on or before as_of, all over windows that end at
   as_of: the model is trained on them as of a cutoff (churn_features, labelled by what happened in the
   window after it) and scores them as of today (churn_scoring_features), so both see the same windows.
   Nothing after as_of is read (ChurnFeaturesTest checks it), so training rows cannot see their label.

   Why these: the label compares the next window's spend with the last 90 days', so what predicts it is how
   the last 90 days stand against the customer's own history. A long decline shows as the last 90 days against
   the year and against the older half-year; a stop shows as days since the last purchase against the
   customer's own gap between purchases and as a quiet last 30 days; a last quarter inflated by one big ticket
   (which the next quarter rarely repeats) shows as the largest ticket's share of it. Trees split one feature at a
   time, so these comparisons are given as ratios rather than left for the model to find. #}
{% macro churn_feature_rows(as_of) -%}
select
    t.customer_id,
    t.spend_365d,
    t.transactions_365d,
    t.spend_last_90d,
    t.spend_prev_90d,
    t.transactions_last_90d,
    t.transactions_prev_90d,
    t.recency_days,
    coalesce(k.categories_365d, 0) as categories_365d,
    t.online_share_365d,
    t.travel_share_365d,
    {{ days_between('c.account_open_date', as_of) }} as tenure_days,
    cast(c.credit_limit as {{ type_double() }}) as credit_limit,
    cast(c.age as {{ type_double() }}) as age,
    t.spend_last_30d,
    t.transactions_last_30d,
    t.spend_older_185d,
    -- The last 90 days against the year's quarterly pace (over the days the account was open in it) and against
    -- the older half-year. Not against the 90 days before them: that ratio follows the season (January to March
    -- against the holidays at the training cutoff, spring against winter today), so its drift check failed.
    cast(t.spend_last_90d / (t.spend_365d * 90.0 / {{ churn_open_days_365d(as_of) }} + 1) as {{ type_double() }}) as spend_vs_year,
    cast(t.spend_last_90d / (t.spend_older_185d * 90.0 / 185 + 1) as {{ type_double() }}) as spend_vs_older,
    -- Days since the last purchase in units of the customer's usual gap between purchases.
    cast(t.recency_days * t.transactions_365d / {{ churn_open_days_365d(as_of) }} as {{ type_double() }}) as recency_vs_cadence,
    cast(t.max_ticket_90d / (t.spend_last_90d + 1) as {{ type_double() }}) as top_ticket_share_90d,
    cast(coalesce(s.not_approved_365d, 0) as {{ type_double() }}) / cast(coalesce(s.attempts_365d, 0) + 1 as {{ type_double() }}) as not_approved_share_365d
from (
    select
        f.customer_id,
        cast(sum(case when f.transaction_date > {{ add_days(as_of, -365) }} then f.amount else 0 end) as {{ type_double() }}) as spend_365d,
        count(case when f.transaction_date > {{ add_days(as_of, -365) }} then 1 end) as transactions_365d,
        cast(sum(case when f.transaction_date > {{ add_days(as_of, -90) }} then f.amount else 0 end) as {{ type_double() }}) as spend_last_90d,
        cast(sum(case when f.transaction_date <= {{ add_days(as_of, -90) }} and f.transaction_date > {{ add_days(as_of, -180) }} then f.amount else 0 end) as {{ type_double() }}) as spend_prev_90d,
        count(case when f.transaction_date > {{ add_days(as_of, -90) }} then 1 end) as transactions_last_90d,
        count(case when f.transaction_date <= {{ add_days(as_of, -90) }} and f.transaction_date > {{ add_days(as_of, -180) }} then 1 end) as transactions_prev_90d,
        min({{ days_between('f.transaction_date', as_of) }}) as recency_days,
        cast(coalesce(avg(case when f.transaction_date > {{ add_days(as_of, -365) }} then case when f.channel = 'Online' then 1.0 else 0.0 end end), 0) as {{ type_double() }}) as online_share_365d,
        cast(coalesce(avg(case when f.transaction_date > {{ add_days(as_of, -365) }} then case when f.category_group = 'Travel' then 1.0 else 0.0 end end), 0) as {{ type_double() }}) as travel_share_365d,
        cast(sum(case when f.transaction_date > {{ add_days(as_of, -30) }} then f.amount else 0 end) as {{ type_double() }}) as spend_last_30d,
        count(case when f.transaction_date > {{ add_days(as_of, -30) }} then 1 end) as transactions_last_30d,
        cast(sum(case when f.transaction_date <= {{ add_days(as_of, -180) }} and f.transaction_date > {{ add_days(as_of, -365) }} then f.amount else 0 end) as {{ type_double() }}) as spend_older_185d,
        cast(coalesce(max(case when f.transaction_date > {{ add_days(as_of, -90) }} then f.amount end), 0) as {{ type_double() }}) as max_ticket_90d
    from {{ ref('fct_transactions') }} f
    where f.transaction_date <= {{ as_of }}
    group by f.customer_id
) t
join {{ ref('slv_customers') }} c on c.customer_id = t.customer_id
-- Categories bought in the year, counted from distinct (customer, category) pairs: the same count as a
-- count(distinct) beside the aggregates above, which costs DuckDB a quarter more CPU there (bench/README.md).
left join (
    select customer_id, count(*) as categories_365d
    from (
        select customer_id, merchant_category
        from {{ ref('fct_transactions') }}
        where transaction_date <= {{ as_of }} and transaction_date > {{ add_days(as_of, -365) }}
          and merchant_category is not null
        group by customer_id, merchant_category
    ) pairs
    group by customer_id
) k on k.customer_id = t.customer_id
-- Declined, pending and refunded attempts: customers drifting away have more of them.
left join (
    select
        customer_id,
        count(*) as attempts_365d,
        count(case when not is_approved then 1 end) as not_approved_365d
    from {{ ref('slv_transactions') }}
    where transaction_date <= {{ as_of }} and transaction_date > {{ add_days(as_of, -365) }}
    group by customer_id
) s on s.customer_id = t.customer_id
{%- endmacro %}

{# Days of the 365 before as_of on which the account was open (at least 30, so a new account's pace is not
   read from a few days). #}
{% macro churn_open_days_365d(as_of) -%}
(case when {{ days_between('c.account_open_date', as_of) }} >= 365 then 365.0
      when {{ days_between('c.account_open_date', as_of) }} <= 30 then 30.0
      else {{ days_between('c.account_open_date', as_of) }} * 1.0 end)
{%- endmacro %}

{# The day the churn model's training features end: churn_window_days before the end of the data, so the
   window after it (where the label is observed) is complete. #}
{% macro churn_cutoff() -%}
{{ add_days(as_of_date(), -var('churn_window_days')) }}
{%- endmacro %}

{# One row, one column (threshold): the decision threshold of the model the churn operator chose (churn_metrics
   has a row "chosen" = 1 for it), the probability at or above which customer_scores.churn_predicted is 1. #}
{% macro churn_threshold_sql() -%}
select m.value as threshold
from {{ ref('churn_metrics') }} m
join {{ ref('churn_metrics') }} c on c.model = m.model and c.metric = 'chosen' and c.value = 1
where m.metric = 'threshold'
{%- endmacro %}
