create table `main`.`analytics`.`orders_summary__sluice_incr` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;

-- one transaction of 2 statement(s):
merge into `main`.`analytics`.`orders_summary` as dbt_internal_dest
using (select distinct `order_id` from `main`.`analytics`.`orders_summary__sluice_incr`) as dbt_internal_source
on dbt_internal_dest.`order_id` = dbt_internal_source.`order_id` and (dbt_internal_dest.status <> 'closed')
when matched then delete;

insert into `main`.`analytics`.`orders_summary` (`order_id`, `customer_id`, `status`, `amount`, `updated_at`) select `order_id`, `customer_id`, `status`, `amount`, `updated_at` from `main`.`analytics`.`orders_summary__sluice_incr`;
