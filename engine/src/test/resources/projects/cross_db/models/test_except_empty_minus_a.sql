select * from {{ ref('data_set_empty') }}
{{ except() }}
select * from {{ ref('data_set_a') }}
