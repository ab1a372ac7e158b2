create or replace table analytics_db.analytics.orders_snapshot as (
select src.*, md5(coalesce(cast(src.order_id as varchar), '') || '|' || coalesce(cast(cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as varchar), '')) as dbt_scd_id, cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as dbt_updated_at, cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as dbt_valid_from, cast(null as timestamp_ntz) as dbt_valid_to from (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
) src
);
