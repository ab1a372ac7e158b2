{{ config(severity='warn') }}
-- Seed 001 check 11, segment-specific patterns, against the generator's answer key (hidden_segment):
-- High-Value Travelers spend the most per customer and have the largest travel share; Budget-Conscious the
-- least per transaction; Declining customers spent less in the last 3 months than in the first 3; New &
-- Growing more. Each row returned is a pattern that does not hold.
-- Each customer's approved purchases are summed first and the 50,000 sums joined to the customers: joining the
-- 13.4M transactions and counting distinct customers per segment cost half again the CPU for the same figures.
with per_customer as (
    select
        customer_id,
        sum(amount) as spend,
        count(*) as purchases,
        sum(case when merchant_category in ('Travel', 'Airlines', 'Hotels') then amount else 0 end) as travel_spend,
        sum(case when transaction_date > {{ add_days(as_of_date(), -91) }} then amount else 0 end) as last_3_months,
        sum(case when transaction_date < {{ add_days("(select min(transaction_date) from " ~ ref('brz_transactions') ~ ")", 91) }} then amount else 0 end) as first_3_months
    from {{ ref('brz_transactions') }}
    where status = 'Approved'
    group by customer_id
),
by_segment as (
    select
        c.hidden_segment,
        sum(p.spend) / count(distinct p.customer_id) as spend_per_customer,
        sum(p.spend) / sum(p.purchases) as avg_ticket,
        sum(p.travel_spend) / sum(p.spend) as travel_share,
        sum(p.last_3_months) as last_3_months,
        sum(p.first_3_months) as first_3_months
    from per_customer p
    join {{ ref('brz_customers') }} c on c.customer_id = p.customer_id
    group by c.hidden_segment
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
