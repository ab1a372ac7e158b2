select customer_id, sum(amount_cents) as total_cents, count(*) as order_count
from {{ ref('orders') }}
group by customer_id
