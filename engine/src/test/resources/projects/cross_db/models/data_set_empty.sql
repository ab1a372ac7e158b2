select * from {{ ref('data_set_a') }} where 0=1
