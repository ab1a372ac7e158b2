-- Web and app sessions attributed to the unified customer, with the funnel step as a number (1 landing to 5
-- purchase) so steps can be compared.
select
    s.session_id,
    l.unified_customer_id as customer_id,
    s.session_date,
    s.platform,
    s.traffic_source,
    s.page_views,
    s.funnel_step,
    case s.funnel_step
        when 'landing' then 1 when 'product' then 2 when 'cart' then 3 when 'checkout' then 4 when 'purchase' then 5
    end as funnel_step_number
from {{ ref('brz_web_sessions') }} s
join {{ ref('slv_identity_links') }} l on l.customer_id = s.customer_id
