-- Internal sales with each category's need state. Runs after the generator wrote the files: depends_on: {{ ref('store_data_files') }}
select
    s.store_id,
    s.week_start,
    s.category,
    n.need_state,
    s.units,
    s.sales_amount
from {{ source('store_files', 'internal_sales') }} s
left join {{ source('store_files', 'need_state') }} n on n.category = s.category
