{{ config(materialized='incremental', unique_key='transaction_id', incremental_strategy='merge',
          on_schema_change='append_new_columns') }}

-- Approved purchases, merged incrementally: each run re-reads the last few days, so late corrections land.
-- On DuckDB merchant, merchant_category, category_group and channel are ENUMs, as in silver (written and read as small
-- codes, read back as the same text); a later run that brings a value the table's ENUM lacks widens it in text
-- order within the merge (kept_few_valued_text), so nothing is refused or lost.
select
    t.transaction_id,
    t.customer_id,
    cast(extract(year from t.transaction_date) * 10000 + extract(month from t.transaction_date) * 100
         + extract(day from t.transaction_date) as integer) as date_key,
    t.transaction_date,
    t.amount,
    {{ kept_few_valued_text('t.merchant', ref('slv_transactions'), 'merchant', 'merchant') }} as merchant,
    {{ kept_few_valued_text('t.merchant_category', ref('slv_transactions'), 'merchant_category', 'merchant_category') }} as merchant_category,
    {{ kept_few_valued_text('t.category_group', ref('slv_transactions'), 'category_group', 'category_group') }} as category_group,
    {{ kept_few_valued_text('t.channel', ref('slv_transactions'), 'channel', 'channel') }} as channel,
    {{ load_stamp() }}
from {{ ref('slv_transactions') }} t
where t.is_approved
{% if is_incremental() %}
  and t.transaction_date >= (select {{ add_days('max(transaction_date)', -3) }} from {{ this }})
{% endif %}
