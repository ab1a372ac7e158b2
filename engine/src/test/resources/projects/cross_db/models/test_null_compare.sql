select cast(null as integer) as actual, cast(null as integer) as expected
