{% snapshot dim_customer %}
{{ config(
    target_schema=target.schema ~ '_gold',
    unique_key='customer_id',
    strategy='check',
    check_cols=['email', 'phone_digits', 'state', 'city', 'employment_status', 'card_type', 'credit_limit'],
    invalidate_hard_deletes=True
) }}
-- The customer dimension with history: a new version whenever a tracked attribute changes. A gold table, so
-- its pii columns are hashed or masked as in customer_360_profile (macros/pii.sql).
select
    customer_id,
    {{ pii_mask_name('first_name') }} as first_name,
    {{ pii_mask_name('last_name') }} as last_name,
    {{ pii_hash('email') }} as email,
    {{ pii_mask_phone('phone_digits') }} as phone_digits,
    age, state, city,
    employment_status, card_type, credit_limit, account_open_date
from {{ ref('slv_customers') }}
{% endsnapshot %}
