-- Raw card transactions exactly as loaded.
select * from {{ ref('raw_transactions') }}
