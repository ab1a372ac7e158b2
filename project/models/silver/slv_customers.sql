select
    customer_id,
    first_name,
    last_name,
    {{ normalize_email('email') }} as email,
    state,
    city,
    account_open_date
from {{ ref('brz_customers') }}
