{# The churn model's features for every customer who bought on or before as_of, all over windows that end at
   as_of: the model is trained on them as of a cutoff (churn_features, labelled by what happened in the
   window after it) and scores them as of today (churn_scoring_features), so both see the same windows. #}
{% macro churn_feature_rows(as_of) -%}
select
    f.customer_id,
    cast(sum(case when f.transaction_date > {{ add_days(as_of, -365) }} then f.amount else 0 end) as {{ type_double() }}) as spend_365d,
    count(case when f.transaction_date > {{ add_days(as_of, -365) }} then 1 end) as transactions_365d,
    cast(sum(case when f.transaction_date > {{ add_days(as_of, -90) }} then f.amount else 0 end) as {{ type_double() }}) as spend_last_90d,
    cast(sum(case when f.transaction_date <= {{ add_days(as_of, -90) }} and f.transaction_date > {{ add_days(as_of, -180) }} then f.amount else 0 end) as {{ type_double() }}) as spend_prev_90d,
    count(case when f.transaction_date > {{ add_days(as_of, -90) }} then 1 end) as transactions_last_90d,
    count(case when f.transaction_date <= {{ add_days(as_of, -90) }} and f.transaction_date > {{ add_days(as_of, -180) }} then 1 end) as transactions_prev_90d,
    min({{ days_between('f.transaction_date', as_of) }}) as recency_days,
    count(distinct case when f.transaction_date > {{ add_days(as_of, -365) }} then f.merchant_category end) as categories_365d,
    cast(coalesce(avg(case when f.transaction_date > {{ add_days(as_of, -365) }} then case when f.channel = 'Online' then 1.0 else 0.0 end end), 0) as {{ type_double() }}) as online_share_365d,
    cast(coalesce(avg(case when f.transaction_date > {{ add_days(as_of, -365) }} then case when f.category_group = 'Travel' then 1.0 else 0.0 end end), 0) as {{ type_double() }}) as travel_share_365d,
    {{ days_between('c.account_open_date', as_of) }} as tenure_days,
    cast(c.credit_limit as {{ type_double() }}) as credit_limit
from {{ ref('fct_transactions') }} f
join {{ ref('slv_customers') }} c on c.customer_id = f.customer_id
where f.transaction_date <= {{ as_of }}
group by f.customer_id, c.account_open_date, c.credit_limit
{%- endmacro %}

{# The day the churn model's training features end: churn_window_days before the end of the data, so the
   window after it (where the label is observed) is complete. #}
{% macro churn_cutoff() -%}
{{ add_days(as_of_date(), -var('churn_window_days')) }}
{%- endmacro %}
