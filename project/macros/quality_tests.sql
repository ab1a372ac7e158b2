{# Generic data-quality tests used by the retail project's schema files. Each selects failing rows. #}

{% test row_count_between(model, min_rows, max_rows) %}
select count(*) as row_count
from {{ model }}
having count(*) < {{ min_rows }} or count(*) > {{ max_rows }}
{% endtest %}

{% test values_between(model, column_name, min_value, max_value) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{# The share of rows where column_name = value must lie within [min_share, max_share]. #}
{% test share_between(model, column_name, value, min_share, max_share) %}
select share
from (
    select avg(case when {{ column_name }} = '{{ value }}' then 1.0 else 0.0 end) as share
    from {{ model }}
) shares
where share < {{ min_share }} or share > {{ max_share }}
{% endtest %}

{# Seed 001's date-range check: the months from the first to the last date lie within [min_months, max_months]
   (whole calendar months covered, first and last counted). #}
{% test month_span_between(model, column_name, min_months, max_months) %}
select months
from (
    select
        (cast(extract(year from max({{ column_name }})) as integer) - cast(extract(year from min({{ column_name }})) as integer)) * 12
        + cast(extract(month from max({{ column_name }})) as integer) - cast(extract(month from min({{ column_name }})) as integer) + 1 as months
    from {{ model }}
) span
where months < {{ min_months }} or months > {{ max_months }}
{% endtest %}

{# Seed 001's merchant category distribution: exactly `categories` distinct values, each holding a share of
   rows within [min_share, max_share]. Fails with the offending values (or a row saying how many there are). #}
{% test value_shares_between(model, column_name, categories, min_share, max_share) %}
with counts as (
    select {{ column_name }} as value, count(*) as n from {{ model }} group by {{ column_name }}
),
shares as (
    select value, n * 1.0 / sum(n) over () as share, count(*) over () as distinct_values from counts
)
select cast(value as {{ type_string() }}) as value, share from shares where share < {{ min_share }} or share > {{ max_share }}
union all
select 'distinct values: ' || cast(count(*) as {{ type_string() }}), null from counts having count(*) <> {{ categories }}
{% endtest %}

{# Seed 001's monthly trend check: every month between the first and the last has rows, and the row count of no
   month differs from the month before by more than max_change (a share, 0.35 = 35%). #}
{% test monthly_counts_steady(model, column_name, max_change) %}
{#- Rows are counted per day first and the few hundred days per month: the month of every one of 13.8M rows
    cost four times the CPU of grouping by the day. -#}
with daily as (
    select cast({{ column_name }} as date) as day, count(*) as n from {{ model }} group by 1
),
monthly as (
    select {{ month_start('day') }} as month_start, cast(sum(n) as bigint) as n from daily group by 1
),
changes as (
    select
        month_start,
        n,
        lag(n) over (order by month_start) as previous_n,
        lag(month_start) over (order by month_start) as previous_month
    from monthly
)
select month_start, n, previous_n
from changes
where previous_n is not null
  and (abs(n - previous_n) > {{ max_change }} * previous_n
       or previous_month <> {{ month_start(add_days('month_start', -1)) }})
{% endtest %}
