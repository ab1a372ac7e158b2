-- Raw web and app sessions exactly as loaded by the generator, from the batch the vars describe.
select * from {{ ref('raw_web_sessions') }} where {{ raw_batch_filter() }}
