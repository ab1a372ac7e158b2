create or replace table analytics_db.analytics.orders_summary as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- reads the grants held: show grants on table analytics_db.analytics.orders_summary;

grant select on table analytics_db.analytics.orders_summary to role reporter;
