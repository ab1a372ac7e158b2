-- Recency, frequency and monetary quintiles over the last year, and the usual named RFM segments.
with base as (
    select
        c.customer_id,
        coalesce(min({{ days_between('f.transaction_date', as_of_date()) }}), 9999) as recency_days,
        count(f.transaction_id) as frequency,
        coalesce(sum(f.amount), 0) as monetary
    from {{ ref('slv_customers') }} c
    left join {{ ref('fct_transactions') }} f
        on f.customer_id = c.customer_id
       and f.transaction_date > {{ add_days(as_of_date(), -365) }}
    group by c.customer_id
),

scored as (
    select
        *,
        ntile(5) over (order by recency_days desc, customer_id) as r_score,
        ntile(5) over (order by frequency, customer_id) as f_score,
        ntile(5) over (order by monetary, customer_id) as m_score
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
        when r_score >= 4 and f_score >= 4 and m_score >= 4 then 'Champions'
        when r_score >= 3 and f_score >= 4 then 'Loyal Customers'
        when r_score >= 4 and f_score <= 2 then 'New Customers'
        when r_score >= 3 and f_score >= 2 and m_score >= 3 then 'Potential Loyalists'
        when r_score <= 2 and f_score >= 4 and m_score >= 4 then 'Cannot Lose Them'
        when r_score <= 2 and f_score >= 3 then 'At Risk'
        when r_score = 3 then 'Needs Attention'
        when r_score <= 2 and f_score <= 2 and m_score <= 2 then 'Lost'
        else 'Hibernating'
    end as rfm_segment
from scored
