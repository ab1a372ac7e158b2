create table "warehouse"."analytics"."orders_snapshot__sluice_snap" as (
select src.*, cast(src."updated_at" as timestamp) as dbt_change_ts, "order_id" as "dbt_unique_key_1" from (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
) src
);

-- one transaction of 5 statement(s):
create table "warehouse"."analytics"."orders_snapshot__sluice_snap_changes" as (
select stg."dbt_unique_key_1", stg.dbt_change_ts from "warehouse"."analytics"."orders_snapshot__sluice_snap" as stg join (select *, "order_id" as "dbt_unique_key_1" from "warehouse"."analytics"."orders_snapshot" where "dbt_valid_to" is null) as snap on snap."dbt_unique_key_1" = stg."dbt_unique_key_1" where stg.dbt_change_ts > snap."dbt_updated_at"
);

create table "warehouse"."analytics"."orders_snapshot__sluice_snap_deleted" as (
select snap."dbt_unique_key_1" from (select *, "order_id" as "dbt_unique_key_1" from "warehouse"."analytics"."orders_snapshot" where "dbt_valid_to" is null) as snap where not exists (select 1 from "warehouse"."analytics"."orders_snapshot__sluice_snap" as stg where snap."dbt_unique_key_1" = stg."dbt_unique_key_1")
);

update "warehouse"."analytics"."orders_snapshot" set "dbt_valid_to" = (select max(c.dbt_change_ts) from "warehouse"."analytics"."orders_snapshot__sluice_snap_changes" as c where c."dbt_unique_key_1" = "order_id") where ("dbt_valid_to" is null) and exists (select 1 from "warehouse"."analytics"."orders_snapshot__sluice_snap_changes" as c where c."dbt_unique_key_1" = "order_id");

update "warehouse"."analytics"."orders_snapshot" set "dbt_valid_to" = cast('2024-05-01 12:00:00.000000' as timestamp) where ("dbt_valid_to" is null) and exists (select 1 from "warehouse"."analytics"."orders_snapshot__sluice_snap_deleted" as c where c."dbt_unique_key_1" = "order_id");

insert into "warehouse"."analytics"."orders_snapshot" ("order_id", "customer_id", "status", "amount", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to") select stg."order_id", stg."customer_id", stg."status", stg."amount", stg."updated_at", md5(coalesce(cast(stg."dbt_unique_key_1" as varchar), '') || '|' || coalesce(cast(stg.dbt_change_ts as varchar), '')), stg.dbt_change_ts, stg.dbt_change_ts, cast(null as timestamp) from "warehouse"."analytics"."orders_snapshot__sluice_snap" as stg where not exists (select 1 from "warehouse"."analytics"."orders_snapshot" where "order_id" = stg."dbt_unique_key_1" and "dbt_valid_to" is null);
