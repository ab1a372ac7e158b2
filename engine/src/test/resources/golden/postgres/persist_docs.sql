create table "warehouse"."analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 3 statement(s):
alter table "warehouse"."analytics"."orders_summary" rename to "orders_summary__sluice_backup";

alter table "warehouse"."analytics"."orders_summary__sluice_tmp" rename to "orders_summary";

drop table if exists "warehouse"."analytics"."orders_summary__sluice_backup" cascade;

comment on table "warehouse"."analytics"."orders_summary" is 'One row per order; the customer''s "latest" status';

comment on column "warehouse"."analytics"."orders_summary"."order_id" is 'The order''s id, from the shop''s system';
