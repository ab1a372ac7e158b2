-- Built only once the sources passed validation: depends_on: {{ ref('source_validation_report') }}
-- Transactions deduplicated by id, attributed to the unified customer, with the category group.
-- Cleaning happens in the scan, before the window: there DuckDB still sees the merchant column as a dictionary
-- of a few dozen names and trims each name once, where after the window it trimmed 13.8M strings.
with numbered as (
    select
        t.transaction_id,
        t.customer_id,
        t.transaction_date,
        t.amount as raw_amount,
        {{ money_of_wide_decimal('t.amount') }} as amount,
        {{ trim_invisible('t.merchant') }} as merchant,
        t.merchant_category,
        t.channel,
        t.status,
        row_number() over (partition by t.transaction_id order by t.transaction_date) as copy_number
    from {{ ref('brz_transactions') }} t
)

select
    n.transaction_id,
    l.unified_customer_id as customer_id,
    n.customer_id as source_customer_id,
    n.transaction_date,
    n.amount,
    n.merchant,
    n.merchant_category,
    coalesce(g.category_group, 'Other') as category_group,
    n.channel,
    n.status,
    n.status = 'Approved' as is_approved
from numbered n
join {{ ref('slv_identity_links') }} l on l.customer_id = n.customer_id
left join {{ ref('merchant_category_groups') }} g on g.merchant_category = n.merchant_category
where n.copy_number = 1
  and n.raw_amount > 0
