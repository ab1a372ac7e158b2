-- Channel attribution of purchases (seed 002 wf07): every session that reached a purchase is a conversion; its
-- touches are the same customer's sessions in the 30 days up to it, the converting session included. First
-- touch gives the conversion to the earliest touch's traffic source, last touch to the converting session's,
-- linear an equal share to every touch.
with sessions as (
    select session_id, customer_id, session_date, traffic_source, funnel_step
    from {{ ref('slv_web_sessions') }}
),

touches as (
    select
        c.session_id as conversion_id,
        t.session_id,
        t.traffic_source,
        row_number() over (partition by c.session_id order by t.session_date, t.session_id) as touch_number,
        count(*) over (partition by c.session_id) as touches
    from sessions c
    join sessions t
      on t.customer_id = c.customer_id
     and t.session_date >= {{ add_days('c.session_date', -30) }}
     and (t.session_date < c.session_date or (t.session_date = c.session_date and t.session_id <= c.session_id))
    where c.funnel_step = 'purchase'
),

credits as (
    select traffic_source, 'first_touch' as model, 1.0 as credit from touches where touch_number = 1
    union all
    select traffic_source, 'last_touch', 1.0 from touches where touch_number = touches
    union all
    select traffic_source, 'linear', 1.0 / touches from touches
)

select
    model,
    traffic_source,
    {{ decimal4('sum(credit)') }} as conversions,
    {{ decimal4('sum(credit) / sum(sum(credit)) over (partition by model)') }} as conversion_share,
    {{ load_stamp() }}
from credits
group by model, traffic_source
