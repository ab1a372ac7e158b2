create table "warehouse"."analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 3 statement(s):
alter table "warehouse"."analytics"."orders_summary" rename to "orders_summary__sluice_backup";

alter table "warehouse"."analytics"."orders_summary__sluice_tmp" rename to "orders_summary";

drop table if exists "warehouse"."analytics"."orders_summary__sluice_backup" cascade;

-- reads the grants held: select grantee, privilege_type from information_schema.role_table_grants where grantor = current_role and grantee <> current_role and table_schema = 'analytics' and table_name = 'orders_summary';

grant select on "warehouse"."analytics"."orders_summary" to "reporter";
