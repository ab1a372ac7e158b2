-- Raw e-mail campaign events exactly as loaded by the generator, from the batch the vars describe.
select * from {{ ref('raw_email_events') }} where {{ raw_batch_filter() }}
