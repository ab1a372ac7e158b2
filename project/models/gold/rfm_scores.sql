-- Recency, frequency and monetary quintiles over the last year, and named RFM segments.
-- Scores go by value, never by row order: a customer's score is ceil(5 * share of customers whose value is no
-- better than theirs), the cumulative distribution, so equal recency (or frequency, or spend) always scores
-- equally and the best value always scores 5 (many customers bought on the last day: they all score 5).
-- Segment names hold to what they say. Recency windows are the lifecycle vars: "Lost" customers have not
-- bought for more than lapsed_days, the at-risk names ("Cannot Lose Them", "At Risk", "Hibernating") not for
-- more than active_days, the recent names (Champions, Loyal Customers, Potential Loyalists, Needs Attention)
-- bought within active_days, and "New Customers" opened their account within new_days.
-- The year's transactions aggregated per customer, then joined to the customers (with no purchase: recency 9999,
-- frequency and spend 0): joining the 13.4M transactions first cost DuckDB more CPU for the same rows.
with recent as (
    select
        customer_id,
        min({{ days_between('transaction_date', as_of_date()) }}) as recency_days,
        count(transaction_id) as frequency,
        sum(amount) as monetary
    from {{ ref('fct_transactions') }}
    where transaction_date > {{ add_days(as_of_date(), -365) }}
    group by customer_id
),

base as (
    select
        c.customer_id,
        {{ days_between('c.account_open_date', as_of_date()) }} as tenure_days,
        coalesce(r.recency_days, 9999) as recency_days,
        coalesce(r.frequency, 0) as frequency,
        {{ money('coalesce(r.monetary, 0)') }} as monetary
    from {{ ref('slv_customers') }} c
    left join recent r on r.customer_id = c.customer_id
),

scored as (
    select
        *,
        cast(ceil(5.0 * count(*) over (order by recency_days desc range between unbounded preceding and current row)
            / count(*) over ()) as integer) as r_score,
        cast(ceil(5.0 * count(*) over (order by frequency range between unbounded preceding and current row)
            / count(*) over ()) as integer) as f_score,
        cast(ceil(5.0 * count(*) over (order by monetary range between unbounded preceding and current row)
            / count(*) over ()) as integer) as m_score
    from base
)

select
    customer_id,
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    cast(r_score as {{ type_string() }}) || cast(f_score as {{ type_string() }}) || cast(m_score as {{ type_string() }}) as rfm_cell,
    case
        when recency_days > {{ var('lapsed_days') }} then 'Lost'
        when tenure_days <= {{ var('new_days') }} then 'New Customers'
        when recency_days > {{ var('active_days') }} and f_score >= 4 and m_score >= 4 then 'Cannot Lose Them'
        when recency_days > {{ var('active_days') }} and (f_score >= 3 or m_score >= 3) then 'At Risk'
        when recency_days > {{ var('active_days') }} then 'Hibernating'
        when r_score >= 4 and f_score >= 4 and m_score >= 4 then 'Champions'
        when r_score >= 3 and f_score >= 4 then 'Loyal Customers'
        when r_score >= 3 and f_score >= 2 and m_score >= 3 then 'Potential Loyalists'
        else 'Needs Attention'
    end as rfm_segment,
    {{ load_stamp() }}
from scored
