{{ config(severity='warn') }}
-- Seed 001 check 11, segment-specific patterns, against the generator's answer key (hidden_segment):
-- High-Value Travelers spend the most per customer and have the largest travel share; Budget-Conscious the
-- least per transaction; Declining customers spent less in the last 3 months than in the first 3; New &
-- Growing more. Each row returned is a pattern that does not hold.
with tx as (
    select c.hidden_segment, t.customer_id, t.amount, t.merchant_category, t.transaction_date
    from {{ ref('brz_transactions') }} t
    join {{ ref('brz_customers') }} c on c.customer_id = t.customer_id
    where t.status = 'Approved'
),
by_segment as (
    select
        hidden_segment,
        sum(amount) / count(distinct customer_id) as spend_per_customer,
        avg(amount) as avg_ticket,
        sum(case when merchant_category in ('Travel', 'Airlines', 'Hotels') then amount else 0 end) / sum(amount) as travel_share,
        sum(case when transaction_date > {{ add_days(as_of_date(), -91) }} then amount else 0 end) as last_3_months,
        sum(case when transaction_date < {{ add_days("(select min(transaction_date) from " ~ ref('brz_transactions') ~ ")", 91) }} then amount else 0 end) as first_3_months
    from tx
    group by hidden_segment
)
select 'High-Value Travelers spend the most per customer' as pattern
where (select max(spend_per_customer) from by_segment)
      > (select spend_per_customer from by_segment where hidden_segment = 'High-Value Travelers')
union all
select 'High-Value Travelers have the largest travel share'
where (select max(travel_share) from by_segment)
      > (select travel_share from by_segment where hidden_segment = 'High-Value Travelers')
union all
select 'Budget-Conscious have the smallest average ticket'
where (select min(avg_ticket) from by_segment)
      < (select avg_ticket from by_segment where hidden_segment = 'Budget-Conscious')
union all
select 'Declining spend less in the last 3 months than in the first 3'
where (select last_3_months - first_3_months from by_segment where hidden_segment = 'Declining') >= 0
union all
select 'New & Growing spend more in the last 3 months than in the first 3'
where (select last_3_months - first_3_months from by_segment where hidden_segment = 'New & Growing') <= 0
