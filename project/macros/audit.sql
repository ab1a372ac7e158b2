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
   the keys, the sum of the amounts, and a content checksum that moves when an amount moves to another key. #}
{% macro audit_totals(flow, layer, scope, relation, key, amount=none, where=none) -%}
select
    cast('{{ flow }}' as {{ type_string() }}) as flow,
    cast('{{ layer }}' as {{ type_string() }}) as layer,
    cast('{{ scope }}' as {{ type_string() }}) as scope,
    cast('{{ relation }}' as {{ type_string() }}) as relation_name,
    count(*) as row_count,
    count(distinct {{ key }}) as distinct_keys,
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
{%- endmacro %}

{# The raw zone is append-only (the generator's raw_batches ledger): the batch these vars describe, as the
   generator names it. Bronze reads this batch; the raw tables keep every batch ever landed. #}
{% macro raw_batch_id() -%}
c{{ var('customers') }}-m{{ var('months') }}-s{{ var('seed') }}-e{{ var('end_date') }}
{%- endmacro %}

{% macro raw_batch_filter() -%}
batch_id = '{{ raw_batch_id() }}'
{%- endmacro %}
