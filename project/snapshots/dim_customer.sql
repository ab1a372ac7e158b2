{% snapshot dim_customer %}
{{ config(
    target_schema=target.schema ~ '_gold',
    unique_key='customer_id',
    strategy='check',
    check_cols=['email', 'phone_digits', 'state', 'city', 'employment_status', 'card_type', 'credit_limit'],
    invalidate_hard_deletes=True
) }}
-- The customer dimension with history: a new version whenever a tracked attribute changes.
select
    customer_id, first_name, last_name, email, phone_digits, age, state, city,
    employment_status, card_type, credit_limit, account_open_date
from {{ ref('slv_customers') }}
{% endsnapshot %}
