create or replace table `main`.`analytics`.`orders_summary` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;

comment on table `main`.`analytics`.`orders_summary` is 'One row per order; the customer\'s "latest" status';

alter table `main`.`analytics`.`orders_summary` alter column `order_id` comment 'The order\'s id, from the shop\'s system';
