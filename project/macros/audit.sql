{# Audit (seed 003's guidance): every gold table says which run loaded it and when, and each build measures
   the layers raw -> bronze -> silver -> gold so reconciliation tests can compare them. #}

{# The run that loaded a gold row and when: appended to the select list of every gold model. #}
{% macro load_stamp() -%}
cast('{{ invocation_id }}' as {{ type_string() }}) as run_id,
    cast(current_timestamp as timestamp) as loaded_at
{%- endmacro %}

{# Audit figures: wide enough for sums of keys and checksums of the full-size data set (~1e18). #}
{% macro audit_numeric() -%}
decimal(38, 4)
{%- endmacro %}

{# One row of audit_layer_totals: rows, distinct keys and checksums of one relation (optionally a subset of it).
   The checksums are sums, so they do not depend on row order and are the same on every warehouse: the sum of
   the keys, the sum of the amounts, and a content checksum that moves when an amount moves to another key.
   Keys are integers (they are summed as bigint). #}
{% macro audit_totals(flow, layer, scope, relation, key, amount=none, where=none) -%}
select
    cast('{{ flow }}' as {{ type_string() }}) as flow,
    cast('{{ layer }}' as {{ type_string() }}) as layer,
    cast('{{ scope }}' as {{ type_string() }}) as scope,
    cast('{{ relation }}' as {{ type_string() }}) as relation_name,
    a.row_count,
    k.distinct_keys,
    a.key_sum,
    a.amount_sum,
    a.content_checksum
from (
    select
        count(*) as row_count,
        coalesce(sum(cast({{ key }} as bigint)), 0) as key_sum,
        {%- if amount %}
        cast(coalesce(sum({{ amount }}), 0) as {{ audit_numeric() }}) as amount_sum,
        cast(coalesce(sum(cast(mod({{ key }}, 997) as integer) * {{ amount }}), 0) as {{ audit_numeric() }}) as content_checksum
        {%- else %}
        cast(null as {{ audit_numeric() }}) as amount_sum,
        cast(null as {{ audit_numeric() }}) as content_checksum
        {%- endif %}
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
) a
cross join (
    {{ audit_distinct_keys(relation, key, where) }}
) k
{%- endmacro %}

{# Two rows of audit_layer_totals from one pass over a relation: scope 'all' and scope subset_scope, the rows
   where subset holds; each row equals what audit_totals gives for that scope. #}
{% macro audit_totals_with_subset(flow, layer, subset_scope, relation, key, amount, subset, where=none) -%}
select
    cast('{{ flow }}' as {{ type_string() }}) as flow,
    cast('{{ layer }}' as {{ type_string() }}) as layer,
    s.scope,
    cast('{{ relation }}' as {{ type_string() }}) as relation_name,
    case when s.scope = 'all' then a.row_count else a.subset_row_count end as row_count,
    case when s.scope = 'all' then k.distinct_keys else k.subset_distinct_keys end as distinct_keys,
    case when s.scope = 'all' then a.key_sum else a.subset_key_sum end as key_sum,
    case when s.scope = 'all' then a.amount_sum else a.subset_amount_sum end as amount_sum,
    case when s.scope = 'all' then a.content_checksum else a.subset_content_checksum end as content_checksum
from (
    select
        count(*) as row_count,
        count(case when {{ subset }} then 1 end) as subset_row_count,
        coalesce(sum(cast({{ key }} as bigint)), 0) as key_sum,
        coalesce(sum(case when {{ subset }} then cast({{ key }} as bigint) end), 0) as subset_key_sum,
        cast(coalesce(sum({{ amount }}), 0) as {{ audit_numeric() }}) as amount_sum,
        cast(coalesce(sum(case when {{ subset }} then {{ amount }} end), 0) as {{ audit_numeric() }}) as subset_amount_sum,
        cast(coalesce(sum(cast(mod({{ key }}, 997) as integer) * {{ amount }}), 0) as {{ audit_numeric() }}) as content_checksum,
        cast(coalesce(sum(case when {{ subset }} then cast(mod({{ key }}, 997) as integer) * {{ amount }} end), 0) as {{ audit_numeric() }}) as subset_content_checksum
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
) a
cross join (
    {{ audit_distinct_keys(relation, key, where, subset) }}
) k
cross join (
    select cast('all' as {{ type_string() }}) as scope
    union all
    select cast('{{ subset_scope }}' as {{ type_string() }}) as scope
) s
{%- endmacro %}

{# One row: distinct_keys, the distinct non-null integer keys of the relation's rows where `where` holds, and
   with a subset also subset_distinct_keys, those of the rows where subset holds too.
   On DuckDB a hash aggregate over every key cost ~3 s of CPU per 13.6M transactions (one table entry per key);
   there the keys are grouped 64 to a bitmap (key_group and key_bit in keys.sql) and the set bits counted,
   which needs 64 times fewer groups (~0.9 s). Elsewhere one grouping by key
   counts both scopes' keys, where two count(distinct) passes built two hash tables. count() and bit_or() skip
   the null key, as count(distinct) does. #}
{% macro audit_distinct_keys(relation, key, where=none, subset=none) -%}
{%- if target.type == 'duckdb' -%}
select
        cast(coalesce(sum(bit_count(bitmaps.key_bits)), 0) as bigint) as distinct_keys
        {%- if subset %},
        cast(coalesce(sum(bit_count(bitmaps.subset_key_bits)), 0) as bigint) as subset_distinct_keys
        {%- endif %}
    from (
        select bit_or({{ key_bit(key) }}) as key_bits
            {%- if subset %},
            bit_or(case when {{ subset }} then {{ key_bit(key) }} end) as subset_key_bits
            {%- endif %}
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
        group by {{ key_group(key) }}
    ) bitmaps
{%- elif subset -%}
select count(grouped.k) as distinct_keys, count(case when grouped.in_subset = 1 then grouped.k end) as subset_distinct_keys
    from (
        select {{ key }} as k, max(case when {{ subset }} then 1 else 0 end) as in_subset
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
        group by {{ key }}
    ) grouped
{%- else -%}
select count(distinct {{ key }}) as distinct_keys
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{%- endif -%}
{%- endmacro %}

{# The raw zone is append-only (the generator's raw_batches ledger): the batch these vars describe, as the
   generator names it. Bronze reads this batch; the raw tables keep every batch ever landed. #}
{% macro raw_batch_id() -%}
c{{ var('customers') }}-m{{ var('months') }}-s{{ var('seed') }}-e{{ var('end_date') }}
{%- endmacro %}

{% macro raw_batch_filter() -%}
batch_id = '{{ raw_batch_id() }}'
{%- endmacro %}
