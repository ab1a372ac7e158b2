create table "warehouse"."analytics"."orders_summary__sluice_incr" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 1 statement(s):
insert into "warehouse"."analytics"."orders_summary" () select  from "warehouse"."analytics"."orders_summary__sluice_incr";

-- reads the grants held: select grantee, privilege_type from information_schema.role_table_grants where grantor = current_role and grantee <> current_role and table_schema = 'analytics' and table_name = 'orders_summary';

revoke select on "warehouse"."analytics"."orders_summary" from "intern";

revoke insert on "warehouse"."analytics"."orders_summary" from "reporter";
