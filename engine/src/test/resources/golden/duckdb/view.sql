create view "analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
);

-- one transaction of 3 statement(s):
alter view "analytics"."orders_summary" rename to "orders_summary__sluice_backup";

alter view "analytics"."orders_summary__sluice_tmp" rename to "orders_summary";

drop view if exists "analytics"."orders_summary__sluice_backup";
