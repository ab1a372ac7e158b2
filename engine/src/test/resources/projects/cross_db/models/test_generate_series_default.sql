{#- The portable form (a cross join of bits), which warehouses without a series function use. -#}
with generated_numbers as (
    {{ dbt.default__generate_series(10) }}
)
select count(*) as actual, 10 as expected from generated_numbers
union all
select sum(generated_number) as actual, 55 as expected from generated_numbers
