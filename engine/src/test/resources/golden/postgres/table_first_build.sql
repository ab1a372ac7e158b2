create table "warehouse"."analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 1 statement(s):
alter table "warehouse"."analytics"."orders_summary__sluice_tmp" rename to "orders_summary";
