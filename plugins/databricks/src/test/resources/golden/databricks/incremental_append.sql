create table `main`.`analytics`.`orders_summary__sluice_incr` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;

-- one transaction of 1 statement(s):
insert into `main`.`analytics`.`orders_summary` (`order_id`, `customer_id`, `status`, `amount`, `updated_at`) select `order_id`, `customer_id`, `status`, `amount`, `updated_at` from `main`.`analytics`.`orders_summary__sluice_incr`;
