create or replace table analytics_db.analytics.orders_summary as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

comment on table analytics_db.analytics.orders_summary is 'One row per order; the customer''s "latest" status';

comment on column analytics_db.analytics.orders_summary.order_id is 'The order''s id, from the shop''s system';
