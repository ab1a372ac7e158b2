select * from {{ ref('data_set_b') }}
{{ intersect() }}
select * from {{ ref('data_set_a') }}
