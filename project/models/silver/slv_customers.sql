-- One row per person: the earliest record of each unified identity, with the count of records merged.
with ranked as (
    select
        l.unified_customer_id,
        c.*,
        row_number() over (partition by l.unified_customer_id order by c.account_open_date, c.customer_id) as record_rank,
        count(*) over (partition by l.unified_customer_id) as source_records
    from {{ ref('slv_customers_clean') }} c
    join {{ ref('slv_identity_links') }} l on l.customer_id = c.customer_id
)

select
    unified_customer_id as customer_id,
    first_name,
    last_name,
    email,
    email_is_valid,
    phone_digits,
    age,
    state,
    city,
    employment_status,
    card_type,
    credit_limit,
    account_open_date,
    source_records,
    hidden_segment
from ranked
where record_rank = 1
