-- Built only once the sources passed validation: depends_on: {{ ref('source_validation_report') }}
-- One row per customer record, with validated e-mail and normalized phone; nothing is dropped here. Names and
-- places lose leading and trailing whitespace and invisible characters (tabs, no-break and zero-width spaces).
select
    customer_id,
    {{ trim_invisible('first_name') }} as first_name,
    {{ trim_invisible('last_name') }} as last_name,
    {{ normalize_email('email') }} as email,
    {{ normalize_email('email') }} is not null as email_is_valid,
    {{ phone_digits('phone') }} as phone_digits,
    age,
    upper({{ trim_invisible('state') }}) as state,
    {{ trim_invisible('city') }} as city,
    {{ trim_invisible('street_address') }} as street_address,
    {{ normalize_address('street_address') }} as address_key,
    employment_status,
    card_type,
    credit_limit,
    account_open_date,
    hidden_segment
from {{ ref('brz_customers') }}
