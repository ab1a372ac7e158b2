-- Built only once the sources passed validation: depends_on: {{ ref('source_validation_report') }}
-- Transactions deduplicated by id, attributed to the unified customer, with the category group.
-- On DuckDB the five few-valued text columns are ENUMs of the values the bronze rows hold (few_valued_text): the same
-- text read back, written and scanned as small codes by this node, fct_transactions and the tests.
-- Cleaning happens in the scan, before any window: there DuckDB still sees the merchant column as a dictionary
-- of a few dozen names and trims each name once, where after a window it trimmed 13.8M strings.
-- Only ids that occur more than once are ordered to keep their first copy: a window over every row (138M at
-- 500,000 customers) ran out of memory, where finding the repeated ids is one aggregate (see repeated_keys).
-- The copies to order are joined to the repeated ids before they are cleaned: cleaning every row there and
-- filtering after cost a second full cleaning pass.
{% macro cleaned_transactions(repeated_only=false) -%}
    select
        t.transaction_id,
        t.customer_id,
        t.transaction_date,
        t.amount as raw_amount,
        {{ money_of_wide_decimal('t.amount') }} as amount,
        {{ trim_invisible('t.merchant') }} as merchant,
        t.merchant_category,
        t.channel,
        t.status
    from {{ ref('brz_transactions') }} t
    {%- if repeated_only %}
    join repeated_ids r on r.transaction_id = t.transaction_id
    {%- endif %}
{%- endmacro %}
with repeated_ids as (
    {{ repeated_keys(ref('brz_transactions'), 'transaction_id') }}
),

deduplicated as (
    -- Plain joins against the (usually empty) repeated ids: a NOT EXISTS or IN subquery made DuckDB buffer every row.
    select c.*
    from ({{ cleaned_transactions() }}) c
    left join repeated_ids r on r.transaction_id = c.transaction_id
    where c.transaction_id is not null
      and r.transaction_id is null
    union all
    select
        transaction_id, customer_id, transaction_date, raw_amount, amount, merchant, merchant_category, channel, status
    from (
        select c.*, row_number() over (partition by c.transaction_id order by c.transaction_date) as copy_number
        from (
            {{ cleaned_transactions(repeated_only=true) }}
            union all
            select * from ({{ cleaned_transactions() }}) unkeyed where transaction_id is null
        ) c
    ) numbered
    where copy_number = 1
)

select
    n.transaction_id,
    l.unified_customer_id as customer_id,
    n.customer_id as source_customer_id,
    n.transaction_date,
    n.amount,
    {{ few_valued_text('n.merchant', ref('brz_transactions'), trim_invisible('merchant')) }} as merchant,
    {{ few_valued_text('n.merchant_category', ref('brz_transactions'), 'merchant_category') }} as merchant_category,
    {{ few_valued_text("coalesce(g.category_group, 'Other')", ref('merchant_category_groups'), 'category_group',
                       also=['Other']) }} as category_group,
    {{ few_valued_text('n.channel', ref('brz_transactions'), 'channel') }} as channel,
    {{ few_valued_text('n.status', ref('brz_transactions'), 'status') }} as status,
    n.status = 'Approved' as is_approved
from deduplicated n
join {{ ref('slv_identity_links') }} l on l.customer_id = n.customer_id
left join {{ ref('merchant_category_groups') }} g on g.merchant_category = n.merchant_category
where n.raw_amount > 0
