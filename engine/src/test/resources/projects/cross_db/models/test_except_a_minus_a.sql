select * from {{ ref('data_set_a') }}
{{ except() }}
select * from {{ ref('data_set_a') }}
