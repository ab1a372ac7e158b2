-- The purchase funnel per platform (seed 002 wf07): how many sessions reached each step (landing, product,
-- cart, checkout, purchase), as a share of all sessions and of the step before.
with steps as (
    select 1 as step_number, 'landing' as step
    union all select 2, 'product'
    union all select 3, 'cart'
    union all select 4, 'checkout'
    union all select 5, 'purchase'
),

reached as (
    select
        s.platform,
        st.step_number,
        st.step,
        count(*) as sessions
    from {{ ref('slv_web_sessions') }} s
    join steps st on st.step_number <= s.funnel_step_number
    group by s.platform, st.step_number, st.step
)

select
    platform,
    step_number,
    step,
    sessions,
    {{ decimal4('sessions * 1.0 / first_value(sessions) over (partition by platform order by step_number)') }} as share_of_sessions,
    {{ decimal4('sessions * 1.0 / lag(sessions) over (partition by platform order by step_number)') }} as step_conversion,
    {{ load_stamp() }}
from reached
