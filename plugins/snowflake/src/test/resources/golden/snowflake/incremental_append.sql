create table analytics_db.analytics.orders_summary__sluice_incr as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 1 statement(s):
insert into analytics_db.analytics.orders_summary (order_id, customer_id, status, amount, updated_at) select order_id, customer_id, status, amount, updated_at from analytics_db.analytics.orders_summary__sluice_incr;
