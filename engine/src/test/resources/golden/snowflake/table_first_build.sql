create table analytics_db.analytics.orders_summary__sluice_tmp as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 1 statement(s):
alter table analytics_db.analytics.orders_summary__sluice_tmp rename to analytics_db.analytics.orders_summary;
