create table "analytics"."orders_summary__sluice_incr" as (
select order_id, customer_id, status, amount, updated_at
from "analytics"."stg_orders"
);

-- one transaction of 2 statement(s):
delete from "analytics"."orders_summary" as dbt_internal_dest where exists (select 1 from "analytics"."orders_summary__sluice_incr" as dbt_internal_source where dbt_internal_dest."order_id" = dbt_internal_source."order_id") and (dbt_internal_dest.status <> 'closed');

insert into "analytics"."orders_summary" ("order_id", "customer_id", "status", "amount", "updated_at") select "order_id", "customer_id", "status", "amount", "updated_at" from "analytics"."orders_summary__sluice_incr";
