create view "warehouse"."analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 3 statement(s):
alter view "warehouse"."analytics"."orders_summary" rename to "orders_summary__sluice_backup";

alter view "warehouse"."analytics"."orders_summary__sluice_tmp" rename to "orders_summary";

drop view if exists "warehouse"."analytics"."orders_summary__sluice_backup" cascade;
