create or replace table analytics_db.analytics.orders_snapshot as (
select src.*, md5(coalesce(cast(order_id as varchar), '') || '|' || coalesce(cast(cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as varchar), '')) as DBT_SCD_ID, cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as DBT_UPDATED_AT, cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as DBT_VALID_FROM, cast(null as timestamp_ntz) as DBT_VALID_TO from (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
) src
);
