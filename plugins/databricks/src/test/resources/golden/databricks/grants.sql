create or replace table `main`.`analytics`.`orders_summary` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;

-- reads the grants held: show grants on table `main`.`analytics`.`orders_summary`;

grant select on table `main`.`analytics`.`orders_summary` to `reporter`;
