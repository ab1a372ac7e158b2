select {{ get_intervals_between("cast('2023-09-01' as date)", "cast('2023-09-12' as date)", "day") }} as intervals, 11 as expected
