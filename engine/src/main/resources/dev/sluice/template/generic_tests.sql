{#- Built-in generic tests. Each renders a query returning the failing rows, as dbt's do.
    A project overrides one by defining a {% test %} of the same name. -#}

{#- unique goes through adapter.dispatch('test_unique', 'dbt') as dbt's does, so a warehouse (or a project's
    default__/duckdb__test_unique) can give its own query with the same rows. -#}
{% test unique(model, column_name) -%}
{{ adapter.dispatch('test_unique', 'dbt')(model, column_name) }}
{%- endtest %}

{% macro default__test_unique(model, column_name) -%}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- endmacro %}

{#- On DuckDB one hash-table entry per value costs ~3.5 s of CPU for 13.8M bigint keys. An integer key is first
    grouped 64 keys to a group (key >> 6, bit key & 63, as the project's repeated_keys does): a group can hold a
    repeat only if it has more rows than set bits in its bitmap, so only the rows of such groups (usually none), and
    the rows whose value is outside bigint, are grouped by the column. Exact: equal values have the same key, so a
    repeated value lands whole in a candidate group or on the exact path. typeof() is folded when DuckDB binds, so
    for every other type the key is a constant null and the query is the default's with a filter that is always
    true (try_cast of text would cost ~5 s for 13.8M strings). DuckDB's hash() would fit any type but scatters
    dense keys, so its bitmaps fill up: measured no cheaper than the default (bench/README.md). The shift's bit
    number is cast to ubigint: ubigint << bigint binds as a hugeint shift, which cost ~0.5 s of CPU per 13.8M keys. -#}
{% macro duckdb__test_unique(model, column_name) -%}
{%- set key -%}
(case when typeof({{ column_name }}) in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') then try_cast({{ column_name }} as bigint) end)
{%- endset -%}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
  and (
    {{ key }} is null
    or ">>"({{ key }}, 6) in (
        select ">>"({{ key }}, 6)
        from {{ model }}
        where {{ key }} is not null
        group by ">>"({{ key }}, 6)
        having count(*) > bit_count(bit_or("<<"(cast(1 as ubigint), cast("&"({{ key }}, 63) as ubigint))))
    )
  )
group by {{ column_name }}
having count(*) > 1
{%- endmacro %}

{% test not_null(model, column_name) -%}
select *
from {{ model }}
where {{ column_name }} is null
{%- endtest %}

{% test accepted_values(model, column_name, values, quote=True) -%}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field is not null
  and value_field not in (
    {%- for value in values -%}
    {%- if quote %}'{{ value | string | replace("'", "''") }}'{% else %}{{ value }}{% endif -%}
    {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
  )
{%- endtest %}

{% test relationships(model, column_name, to, field) -%}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select child.from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{%- endtest %}

{#- Checks on ML nodes, run as data tests on their output tables. The metrics table is (model, metric, value)
    as churn_classifier writes it; "chosen" marks the model that scored. -#}

{% test ml_min_auc(model, min_auc) -%}
select m.model, m.value as auc
from {{ model }} m
where m.metric = 'auc'
  and m.model in (select c.model from {{ model }} c where c.metric = 'chosen' and c.value = 1)
  and (m.value is null or m.value < {{ min_auc }})
{%- endtest %}

{% test ml_max_drift(model, max_psi) -%}
select m.model, m.metric as feature, m.value as psi
from {{ model }} m
where substr(m.metric, 1, 4) = 'psi_'
  and m.model in (select c.model from {{ model }} c where c.metric = 'chosen' and c.value = 1)
  and m.value > {{ max_psi }}
{%- endtest %}

{% test ml_min_rows(model, min_rows) -%}
select count(*) as n_rows
from {{ model }}
having count(*) < {{ min_rows }}
{%- endtest %}
