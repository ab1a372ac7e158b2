create table `main`.`analytics`.`orders_snapshot__sluice_snap` using delta as
select src.*, cast('2024-05-01 12:00:00.000000' as timestamp) as dbt_change_ts, `order_id` as `dbt_unique_key_1` from (
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`
) src;

-- one transaction of 3 statement(s):
create table `main`.`analytics`.`orders_snapshot__sluice_snap_changes` using delta as
select stg.`dbt_unique_key_1`, stg.dbt_change_ts from `main`.`analytics`.`orders_snapshot__sluice_snap` as stg join (select *, `order_id` as `dbt_unique_key_1` from `main`.`analytics`.`orders_snapshot` where `dbt_valid_to` is null) as snap on snap.`dbt_unique_key_1` = stg.`dbt_unique_key_1` where snap.`status` is distinct from stg.`status` or snap.`amount` is distinct from stg.`amount`;

merge into `main`.`analytics`.`orders_snapshot`
using `main`.`analytics`.`orders_snapshot__sluice_snap_changes` as c
on c.`dbt_unique_key_1` = `order_id` and (`dbt_valid_to` is null)
when matched then update set `dbt_valid_to` = c.dbt_change_ts;

insert into `main`.`analytics`.`orders_snapshot` (`order_id`, `customer_id`, `status`, `amount`, `updated_at`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`) select stg.`order_id`, stg.`customer_id`, stg.`status`, stg.`amount`, stg.`updated_at`, md5(coalesce(cast(stg.`dbt_unique_key_1` as string), '') || '|' || coalesce(cast(stg.dbt_change_ts as string), '')), stg.dbt_change_ts, stg.dbt_change_ts, cast(null as timestamp) from `main`.`analytics`.`orders_snapshot__sluice_snap` as stg where not exists (select 1 from `main`.`analytics`.`orders_snapshot` where `order_id` = stg.`dbt_unique_key_1` and `dbt_valid_to` is null);
