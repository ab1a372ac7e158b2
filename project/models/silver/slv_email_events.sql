-- E-mail campaign events (send, open, click) attributed to the unified customer.
select
    e.event_id,
    l.unified_customer_id as customer_id,
    e.campaign_id,
    e.event_type,
    e.event_date
from {{ ref('brz_email_events') }} e
join {{ ref('slv_identity_links') }} l on l.customer_id = e.customer_id
