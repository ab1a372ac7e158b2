-- Raw customers exactly as loaded.
select * from {{ ref('raw_customers') }}
