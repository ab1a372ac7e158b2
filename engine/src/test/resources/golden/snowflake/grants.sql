create table analytics_db.analytics.orders_summary__sluice_tmp as (
select order_id, customer_id, status, amount, updated_at
from analytics_db.analytics.stg_orders
);

-- one transaction of 2 statement(s):
alter table analytics_db.analytics.orders_summary swap with analytics_db.analytics.orders_summary__sluice_tmp;

drop table if exists analytics_db.analytics.orders_summary__sluice_tmp;

grant select on table analytics_db.analytics.orders_summary to role reporter;
