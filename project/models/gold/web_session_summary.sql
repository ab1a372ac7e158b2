-- Session analysis by month and platform (seed 002 wf07's web analytics): sessions, visitors, page views,
-- bounce rate (single-page sessions) and conversion rate (sessions that reached a purchase).
select
    {{ month_start('session_date') }} as month_start,
    platform,
    count(*) as sessions,
    count(distinct customer_id) as visitors,
    sum(page_views) as page_views,
    {{ decimal4('avg(page_views)') }} as pages_per_session,
    {{ decimal4('avg(case when page_views = 1 then 1.0 else 0.0 end)') }} as bounce_rate,
    {{ decimal4("avg(case when funnel_step = 'purchase' then 1.0 else 0.0 end)") }} as conversion_rate
from {{ ref('slv_web_sessions') }}
group by 1, 2
