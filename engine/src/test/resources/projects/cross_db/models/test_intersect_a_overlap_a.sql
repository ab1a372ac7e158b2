select * from {{ ref('data_set_a') }}
{{ intersect() }}
select * from {{ ref('data_set_a') }}
