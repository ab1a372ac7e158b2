-- The market around each store, on scales k-means can compare once standardized: density on a log scale,
-- income in thousands. Runs after the generator wrote the files: depends_on: {{ ref('store_data_files') }}
select
    e.store_id,
    ln(e.population_density) as log_population_density,
    cast(e.median_income as {{ type_double() }}) / 1000 as median_income_k,
    cast(e.competitor_count as {{ type_double() }}) as competitor_count,
    e.avg_household_size,
    e.market_growth,
    a.external_archetype
from {{ source('store_files', 'external_sales') }} e
join {{ source('store_files', 'store_archetypes') }} a on a.store_id = e.store_id
