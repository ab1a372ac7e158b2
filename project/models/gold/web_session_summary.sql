-- Session analysis by month and platform (seed 002 wf07's web analytics): sessions, visitors, page views,
-- bounce rate (single-page sessions) and conversion rate (sessions that reached a purchase).
select
    {{ month_start('session_date') }} as month_start,
    platform,
    count(*) as sessions,
    count(distinct customer_id) as visitors,
    sum(page_views) as page_views,
    {{ decimal4('avg(page_views)') }} as pages_per_session,
    -- Shares as a count over a count: Spark's avg of a decimal first rounds to 5 places, and rounding that
    -- again to 4 differs from DuckDB and PostgreSQL in the last place (0.06915 -> 0.0692 against 0.0691).
    {{ decimal4('sum(case when page_views = 1 then 1 else 0 end) * 1.0 / count(*)') }} as bounce_rate,
    {{ decimal4("sum(case when funnel_step = 'purchase' then 1 else 0 end) * 1.0 / count(*)") }} as conversion_rate,
    {{ load_stamp() }}
from {{ ref('slv_web_sessions') }}
group by 1, 2
