-- Engagement per customer (seed 002 wf06's engagement_metrics): e-mail (sent, opened, clicked, rates), web and
-- app (sessions, page views, purchases), recency of engagement and a level from the last 90 days:
-- high = 3+ opens or 6+ sessions, medium = any open or session, dormant = none.
with email as (
    select
        customer_id,
        count(distinct case when event_type = 'send' then campaign_id end) as emails_sent,
        count(distinct case when event_type = 'open' then campaign_id end) as emails_opened,
        count(distinct case when event_type = 'click' then campaign_id end) as emails_clicked,
        count(distinct case when event_type = 'open' and event_date > {{ add_days(as_of_date(), -90) }} then campaign_id end) as opens_90d,
        max(case when event_type = 'open' then event_date end) as last_open_date
    from {{ ref('slv_email_events') }}
    group by customer_id
),

web as (
    select
        customer_id,
        count(case when platform = 'web' then 1 end) as web_sessions,
        count(case when platform = 'app' then 1 end) as app_sessions,
        sum(page_views) as page_views,
        count(case when funnel_step = 'purchase' then 1 end) as purchase_sessions,
        count(case when session_date > {{ add_days(as_of_date(), -90) }} then 1 end) as sessions_90d,
        max(session_date) as last_session_date
    from {{ ref('slv_web_sessions') }}
    group by customer_id
)

select
    c.customer_id,
    coalesce(e.emails_sent, 0) as emails_sent,
    coalesce(e.emails_opened, 0) as emails_opened,
    coalesce(e.emails_clicked, 0) as emails_clicked,
    {{ decimal4('e.emails_opened * 1.0 / nullif(e.emails_sent, 0)') }} as open_rate,
    {{ decimal4('e.emails_clicked * 1.0 / nullif(e.emails_sent, 0)') }} as click_rate,
    {{ decimal4('e.emails_clicked * 1.0 / nullif(e.emails_opened, 0)') }} as click_to_open_rate,
    coalesce(w.web_sessions, 0) as web_sessions,
    coalesce(w.app_sessions, 0) as app_sessions,
    coalesce(w.page_views, 0) as page_views,
    {{ decimal4('w.page_views * 1.0 / nullif(w.web_sessions + w.app_sessions, 0)') }} as pages_per_session,
    coalesce(w.purchase_sessions, 0) as purchase_sessions,
    {{ decimal4('w.purchase_sessions * 1.0 / nullif(w.web_sessions + w.app_sessions, 0)') }} as session_conversion_rate,
    e.last_open_date,
    w.last_session_date,
    case
        when coalesce(e.opens_90d, 0) >= 3 or coalesce(w.sessions_90d, 0) >= 6 then 'high'
        when coalesce(e.opens_90d, 0) > 0 or coalesce(w.sessions_90d, 0) > 0 then 'medium'
        else 'dormant'
    end as engagement_level,
    {{ load_stamp() }}
from {{ ref('slv_customers') }} c
left join email e on e.customer_id = c.customer_id
left join web w on w.customer_id = c.customer_id
