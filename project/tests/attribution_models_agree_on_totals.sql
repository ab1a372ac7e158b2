-- Every attribution model hands out exactly one conversion per purchase session, no more, no less.
with purchases as (
    select count(*) as n from {{ ref('slv_web_sessions') }} where funnel_step = 'purchase'
)
select a.model, sum(a.conversions) as credited, max(p.n) as purchases
from {{ ref('channel_attribution') }} a
cross join purchases p
group by a.model
having abs(sum(a.conversions) - max(p.n)) > 0.01 * count(*)
