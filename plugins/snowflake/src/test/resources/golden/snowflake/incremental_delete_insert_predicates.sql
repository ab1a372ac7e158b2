create table analytics_db.analytics.orders_summary__sluice_incr as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 2 statement(s):
delete from analytics_db.analytics.orders_summary dbt_internal_dest using analytics_db.analytics.orders_summary__sluice_incr dbt_internal_source where dbt_internal_dest.order_id = dbt_internal_source.order_id and (dbt_internal_dest.status <> 'closed');

insert into analytics_db.analytics.orders_summary (order_id, customer_id, status, amount, updated_at) select order_id, customer_id, status, amount, updated_at from analytics_db.analytics.orders_summary__sluice_incr;
