select cast('1.2345' as {{ type_float() }}) as float_col
