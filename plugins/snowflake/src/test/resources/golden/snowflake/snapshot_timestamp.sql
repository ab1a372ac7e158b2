create table analytics_db.analytics.orders_snapshot__sluice_snap as (
select src.*, cast(src.updated_at as timestamp_ntz) as dbt_change_ts from (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
) src
);

-- one transaction of 3 statement(s):
merge into analytics_db.analytics.orders_snapshot as snap
using analytics_db.analytics.orders_snapshot__sluice_snap as stg
on snap.order_id = stg.order_id and snap.dbt_valid_to is null
when matched and (stg.dbt_change_ts > snap.dbt_updated_at) then update set dbt_valid_to = stg.dbt_change_ts;

insert into analytics_db.analytics.orders_snapshot (order_id, customer_id, status, amount, updated_at, dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to) select stg.order_id, stg.customer_id, stg.status, stg.amount, stg.updated_at, md5(coalesce(cast(stg.order_id as varchar), '') || '|' || coalesce(cast(stg.dbt_change_ts as varchar), '')), stg.dbt_change_ts, stg.dbt_change_ts, cast(null as timestamp_ntz) from analytics_db.analytics.orders_snapshot__sluice_snap as stg where not exists (select 1 from analytics_db.analytics.orders_snapshot as snap where snap.order_id = stg.order_id and snap.dbt_valid_to is null);

merge into analytics_db.analytics.orders_snapshot as snap
using (select cur.order_id from analytics_db.analytics.orders_snapshot as cur where cur.dbt_valid_to is null and not exists (select 1 from analytics_db.analytics.orders_snapshot__sluice_snap as stg where cur.order_id = stg.order_id)) as gone
on snap.order_id = gone.order_id and snap.dbt_valid_to is null
when matched then update set dbt_valid_to = cast('2024-05-01 12:00:00.000000' as timestamp_ntz);
