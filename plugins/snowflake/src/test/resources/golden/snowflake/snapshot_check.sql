create table analytics_db.analytics.orders_snapshot__sluice_snap as (
select src.*, cast('2024-05-01 12:00:00.000000' as timestamp_ntz) as dbt_change_ts, order_id as dbt_unique_key_1 from (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
) src
);

-- one transaction of 3 statement(s):
create table analytics_db.analytics.orders_snapshot__sluice_snap_changes as (
select stg.dbt_unique_key_1, stg.dbt_change_ts from analytics_db.analytics.orders_snapshot__sluice_snap as stg join (select *, order_id as dbt_unique_key_1 from analytics_db.analytics.orders_snapshot where DBT_VALID_TO is null) as snap on snap.dbt_unique_key_1 = stg.dbt_unique_key_1 where snap.status is distinct from stg.status or snap.amount is distinct from stg.amount
);

merge into analytics_db.analytics.orders_snapshot
using analytics_db.analytics.orders_snapshot__sluice_snap_changes as c
on c.dbt_unique_key_1 = order_id and (DBT_VALID_TO is null)
when matched then update set DBT_VALID_TO = c.dbt_change_ts;

insert into analytics_db.analytics.orders_snapshot (order_id, customer_id, status, amount, updated_at, DBT_SCD_ID, DBT_UPDATED_AT, DBT_VALID_FROM, DBT_VALID_TO) select stg.order_id, stg.customer_id, stg.status, stg.amount, stg.updated_at, md5(coalesce(cast(stg.dbt_unique_key_1 as varchar), '') || '|' || coalesce(cast(stg.dbt_change_ts as varchar), '')), stg.dbt_change_ts, stg.dbt_change_ts, cast(null as timestamp_ntz) from analytics_db.analytics.orders_snapshot__sluice_snap as stg where not exists (select 1 from analytics_db.analytics.orders_snapshot where order_id = stg.dbt_unique_key_1 and DBT_VALID_TO is null);
