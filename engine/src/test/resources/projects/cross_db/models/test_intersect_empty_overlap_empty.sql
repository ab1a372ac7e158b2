select * from {{ ref('data_set_empty') }}
{{ intersect() }}
select * from {{ ref('data_set_empty') }}
