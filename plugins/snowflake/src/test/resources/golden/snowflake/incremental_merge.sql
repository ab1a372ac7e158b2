create table analytics_db.analytics.orders_summary__sluice_incr as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 1 statement(s):
merge into analytics_db.analytics.orders_summary as dbt_internal_dest
using analytics_db.analytics.orders_summary__sluice_incr as dbt_internal_source
on dbt_internal_dest.order_id = dbt_internal_source.order_id
when matched then update set customer_id = dbt_internal_source.customer_id, status = dbt_internal_source.status, amount = dbt_internal_source.amount, updated_at = dbt_internal_source.updated_at
when not matched then insert (order_id, customer_id, status, amount, updated_at) values (dbt_internal_source.order_id, dbt_internal_source.customer_id, dbt_internal_source.status, dbt_internal_source.amount, dbt_internal_source.updated_at);
