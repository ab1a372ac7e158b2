-- Raw customer records exactly as loaded by the generator, from the batch the vars describe (the raw zone is
-- append-only and keeps earlier batches).
select * from {{ ref('raw_customers') }} where {{ raw_batch_filter() }}
