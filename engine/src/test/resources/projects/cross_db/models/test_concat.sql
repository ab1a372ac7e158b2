with data as (
    select {{ replace_empty('input_1') }} as input_1, {{ replace_empty('input_2') }} as input_2,
           {{ replace_empty('output') }} as output
    from {{ ref('data_concat') }}
)
select {{ concat(['input_1', 'input_2']) }} as actual, output as expected from data
