{{ config(materialized='incremental', unique_key='transaction_id', incremental_strategy='merge',
          on_schema_change='append_new_columns') }}

-- Approved purchases, merged incrementally: each run re-reads the last few days, so late corrections land.
-- The text columns stay text (as_text): silver's ENUMs change with the data, and this table keeps its first type.
select
    t.transaction_id,
    t.customer_id,
    cast(extract(year from t.transaction_date) * 10000 + extract(month from t.transaction_date) * 100
         + extract(day from t.transaction_date) as integer) as date_key,
    t.transaction_date,
    t.amount,
    {{ as_text('t.merchant') }} as merchant,
    {{ as_text('t.merchant_category') }} as merchant_category,
    {{ as_text('t.category_group') }} as category_group,
    {{ as_text('t.channel') }} as channel,
    {{ load_stamp() }}
from {{ ref('slv_transactions') }} t
where t.is_approved
{% if is_incremental() %}
  and t.transaction_date >= (select {{ add_days('max(transaction_date)', -3) }} from {{ this }})
{% endif %}
