with data as (
    select {{ replace_empty('input_1') }} as input_1, {{ replace_empty('output') }} as output
    from {{ ref('data_hash') }}
)
select {{ hash('input_1') }} as actual, output as expected from data
