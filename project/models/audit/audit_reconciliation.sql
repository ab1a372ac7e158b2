{{ config(materialized='incremental', incremental_strategy='append') }}
-- Reconciliation of this build's layers (audit_layer_totals): one row per check, with the figure on each side
-- and status 'match' or 'mismatch'. What must hold between neighbouring layers:
--   transactions  raw = bronze (a view: rows, keys, amounts, content checksum all equal);
--                 bronze = silver (deduplicated by id: silver rows and key sum = bronze distinct keys; amounts);
--                 silver approved = gold (the fact keeps approved purchases only: rows, keys, amounts, checksum);
--                 raw approved = gold (end to end).
--   customers     raw = bronze = silver records (nothing dropped before unification);
--                 silver persons = gold profiles (one profile per unified person, the same ids).
-- The merged records are checked separately: the sum of slv_customers.source_records equals the records.
with this_run as (
    select * from {{ ref('audit_layer_totals') }}
    where run_id = '{{ invocation_id }}'
),

sides as (
    select flow, layer, scope, row_count, distinct_keys, key_sum, amount_sum, content_checksum
    from this_run
),

pairs as (
    {%- set checks = [
        ('transactions', 'raw', 'all', 'bronze', 'all', ['row_count', 'key_sum', 'amount_sum', 'content_checksum']),
        ('transactions', 'bronze', 'all', 'silver', 'all', ['distinct_keys', 'key_sum', 'amount_sum']),
        ('transactions', 'silver', 'approved', 'gold', 'all', ['row_count', 'key_sum', 'amount_sum', 'content_checksum']),
        ('transactions', 'raw', 'approved', 'gold', 'all', ['row_count', 'key_sum', 'amount_sum', 'content_checksum']),
        ('customers', 'raw', 'all', 'bronze', 'all', ['row_count', 'key_sum']),
        ('customers', 'bronze', 'all', 'silver', 'records', ['row_count', 'key_sum']),
        ('customers', 'silver', 'all', 'gold', 'all', ['row_count', 'key_sum']),
    ] %}
    {%- for flow, l_layer, l_scope, r_layer, r_scope, measures in checks %}
    {%- set outer = loop %}
    {%- for m in measures %}
    select
        cast('{{ flow }}' as {{ type_string() }}) as flow,
        cast('{{ l_layer }}.{{ l_scope }} -> {{ r_layer }}.{{ r_scope }}' as {{ type_string() }}) as check_name,
        cast('{{ m }}' as {{ type_string() }}) as measure,
        cast(l.{{ m }} as {{ audit_numeric() }}) as left_value,
        cast(r.{{ m }} as {{ audit_numeric() }}) as right_value
    from sides l
    join sides r on r.flow = l.flow and r.layer = '{{ r_layer }}' and r.scope = '{{ r_scope }}'
    where l.flow = '{{ flow }}' and l.layer = '{{ l_layer }}' and l.scope = '{{ l_scope }}'
    {{ 'union all' if not (outer.last and loop.last) }}
    {%- endfor %}
    {%- endfor %}
    union all
    select
        cast('customers' as {{ type_string() }}),
        cast('silver.records -> silver.all (sum of source_records)' as {{ type_string() }}),
        cast('row_count' as {{ type_string() }}),
        cast((select row_count from sides where flow = 'customers' and layer = 'silver' and scope = 'records') as {{ audit_numeric() }}),
        cast((select sum(source_records) from {{ ref('slv_customers') }}) as {{ audit_numeric() }})
)

select
    cast('{{ invocation_id }}' as {{ type_string() }}) as run_id,
    cast(current_timestamp as timestamp) as audited_at,
    flow,
    check_name,
    measure,
    left_value,
    right_value,
    case when left_value = right_value then 'match' else 'mismatch' end as status
from pairs
