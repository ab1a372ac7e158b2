-- Raw customer records exactly as loaded by the generator.
select * from {{ ref('raw_customers') }}
