select cast('true' as {{ type_boolean() }}) as boolean_col
