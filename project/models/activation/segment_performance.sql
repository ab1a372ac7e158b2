{{ config(materialized='table', schema='activation', tags=['segment']) }}
-- Segment performance (seed 002 wf09): for each segment and each month of the data, its current members (open
-- rows of segment_membership), how many of them bought that month, their revenue, and the conversion rate
-- (buyers / members). The membership history itself has the entries and exits build by build.
with members as (
    select segment_name, member_id from {{ ref('segment_membership') }} where dbt_valid_to is null
),

sizes as (
    select segment_name, count(*) as members from members group by segment_name
),

monthly as (
    -- Grouped by the integer id, then cast: casting each of the 13.4M transactions' ids to text before grouping
    -- cost DuckDB a third more CPU for the same rows.
    select cast(customer_id as {{ type_string() }}) as member_id, month, revenue
    from (
        select customer_id, {{ month_start('transaction_date') }} as month, sum(amount) as revenue
        from {{ ref('fct_transactions') }}
        group by 1, 2
    ) by_customer
),

months as (
    select distinct month from monthly
)

select
    s.segment_name,
    m.month,
    s.members,
    count(distinct t.member_id) as buyers,
    {{ money('coalesce(sum(t.revenue), 0)') }} as revenue,
    {{ decimal4('count(distinct t.member_id) / cast(s.members as ' ~ type_numeric() ~ ')') }} as conversion_rate
from sizes s
cross join months m
left join members mb on mb.segment_name = s.segment_name
left join monthly t on t.member_id = mb.member_id and t.month = m.month
group by s.segment_name, m.month, s.members
