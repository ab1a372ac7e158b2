select {{ length('expression') }} as actual, output as expected from {{ ref('data_length') }}
