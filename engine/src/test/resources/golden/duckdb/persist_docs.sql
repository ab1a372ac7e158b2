create or replace table "analytics"."orders_summary" as (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
);

comment on table "analytics"."orders_summary" is 'One row per order; the customer''s "latest" status';

comment on column "analytics"."orders_summary"."order_id" is 'The order''s id, from the shop''s system';
