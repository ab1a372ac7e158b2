select * from {{ ref('data_set_b') }}
{{ except() }}
select * from {{ ref('data_set_a') }}
