create table analytics_db.analytics.orders_summary__sluice_incr as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 1 statement(s):
insert into analytics_db.analytics.orders_summary () select  from analytics_db.analytics.orders_summary__sluice_incr;

-- reads the grants held: show grants on table analytics_db.analytics.orders_summary;

revoke select on table analytics_db.analytics.orders_summary from role INTERN;

revoke insert on table analytics_db.analytics.orders_summary from role REPORTER;
