create or replace table `main`.`analytics`.`orders_summary` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;
