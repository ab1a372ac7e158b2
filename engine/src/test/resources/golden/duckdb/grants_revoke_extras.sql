create table "analytics"."orders_summary__sluice_incr" as (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
);

-- one transaction of 1 statement(s):
insert into "analytics"."orders_summary" () select  from "analytics"."orders_summary__sluice_incr";
