select
  '{{ escape_single_quotes("they're") }}' as actual, 'they''re' as expected,
  {{ length(string_literal(escape_single_quotes("they're"))) }} as actual_length, 7 as expected_length
union all
select
  '{{ escape_single_quotes("they are") }}' as actual, 'they are' as expected,
  {{ length(string_literal(escape_single_quotes("they are"))) }} as actual_length, 8 as expected_length
