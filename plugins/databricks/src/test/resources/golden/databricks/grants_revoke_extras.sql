create table `main`.`analytics`.`orders_summary__sluice_incr` using delta as
select order_id, customer_id, status, amount, updated_at
from `main`.`analytics`.`stg_orders`;

-- one transaction of 1 statement(s):
insert into `main`.`analytics`.`orders_summary` () select  from `main`.`analytics`.`orders_summary__sluice_incr`;

-- reads the grants held: show grants on table `main`.`analytics`.`orders_summary`;

revoke select on table `main`.`analytics`.`orders_summary` from `intern`;

revoke modify on table `main`.`analytics`.`orders_summary` from `reporter`;
