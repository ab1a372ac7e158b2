-- Raw card transactions exactly as loaded by the generator, from the batch the vars describe.
select * from {{ ref('raw_transactions') }} where {{ raw_batch_filter() }}
