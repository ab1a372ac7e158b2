{{ config(materialized='incremental', incremental_strategy='append') }}
-- Audit (seed 003): per build, the rows, distinct keys and checksums of each layer a transaction and a customer
-- pass through, raw -> bronze -> silver -> gold, appended under the build's run id so every build's figures
-- stay. audit_reconciliation compares neighbouring layers; a test fails the build on any mismatch.
-- The raw layer is this build's batch of the append-only raw zone. Scopes: 'all' rows, or the subset that flows on to the next layer ('approved' purchases; 'records': the
-- customer records a unified person stands for).
with totals as (
    {{ audit_totals_with_subset('transactions', 'raw', 'approved', ref('raw_transactions'), 'transaction_id', 'amount', "status = 'Approved'", raw_batch_filter()) }}
    union all
    {{ audit_totals('transactions', 'bronze', 'all', ref('brz_transactions'), 'transaction_id', 'amount') }}
    union all
    {{ audit_totals_with_subset('transactions', 'silver', 'approved', ref('slv_transactions'), 'transaction_id', 'amount', 'is_approved') }}
    union all
    {{ audit_totals('transactions', 'gold', 'all', ref('fct_transactions'), 'transaction_id', 'amount') }}
    union all
    {{ audit_totals('customers', 'raw', 'all', ref('raw_customers'), 'customer_id', none, raw_batch_filter()) }}
    union all
    {{ audit_totals('customers', 'bronze', 'all', ref('brz_customers'), 'customer_id') }}
    union all
    {{ audit_totals('customers', 'silver', 'records', ref('slv_customers_clean'), 'customer_id') }}
    union all
    {{ audit_totals('customers', 'silver', 'all', ref('slv_customers'), 'customer_id') }}
    union all
    {{ audit_totals('customers', 'gold', 'all', ref('customer_360_profile'), 'customer_id') }}
)

select
    cast('{{ invocation_id }}' as {{ type_string() }}) as run_id,
    cast(current_timestamp as timestamp) as audited_at,
    totals.*
from totals
