-- Raw card transactions exactly as loaded by the generator.
select * from {{ ref('raw_transactions') }}
