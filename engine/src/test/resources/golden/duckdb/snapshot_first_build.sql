create or replace table "analytics"."orders_snapshot" as (
select src.*, md5(coalesce(cast("order_id" as varchar), '') || '|' || coalesce(cast(cast('2024-05-01 12:00:00.000000' as timestamp) as varchar), '')) as "dbt_scd_id", cast('2024-05-01 12:00:00.000000' as timestamp) as "dbt_updated_at", cast('2024-05-01 12:00:00.000000' as timestamp) as "dbt_valid_from", cast(null as timestamp) as "dbt_valid_to" from (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
) src
);
