select * from {{ ref('orders') }} where 1 = 0
