select {{ cast('field', api.Column.translate_type('string')) }} as actual, output as expected
from {{ ref('data_cast') }}
