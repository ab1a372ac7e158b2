select {{ right('string_text', 'length_expression') }} as actual, coalesce(output, '') as expected
from {{ ref('data_right') }}
