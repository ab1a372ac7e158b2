-- One row per customer record, with validated e-mail and normalized phone; nothing is dropped here.
select
    customer_id,
    trim(first_name) as first_name,
    trim(last_name) as last_name,
    {{ normalize_email('email') }} as email,
    {{ normalize_email('email') }} is not null as email_is_valid,
    {{ phone_digits('phone') }} as phone_digits,
    age,
    upper(trim(state)) as state,
    trim(city) as city,
    employment_status,
    card_type,
    credit_limit,
    account_open_date,
    hidden_segment
from {{ ref('brz_customers') }}
