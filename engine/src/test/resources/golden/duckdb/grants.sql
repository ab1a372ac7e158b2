create or replace table "analytics"."orders_summary" as (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
);
