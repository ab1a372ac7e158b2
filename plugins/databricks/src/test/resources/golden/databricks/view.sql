create or replace view `main`.`analytics`.`orders_summary` as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;
