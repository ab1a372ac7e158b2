select
    {{ sluice_helpers.surrogate(['o.order_id', 'o.customer_id']) }} as order_key,
    o.order_id,
    o.amount_cents,
    c.country_name
from {{ ref('orders') }} o
left join {{ ref('sluice_helpers', 'country_codes') }} c on c.code = o.country
