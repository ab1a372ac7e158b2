select {{ position('substring_text', 'string_text') }} as actual, result as expected from {{ ref('data_position') }}
