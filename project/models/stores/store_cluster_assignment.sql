-- Seed 004's merging job: each store's internal cluster (what it sells) and external cluster (its market),
-- merged into one assignment, e.g. '2-1'.
select
    i.id as store_id,
    i.segment_id as internal_cluster,
    i.segment_name as internal_cluster_name,
    e.segment_id as external_cluster,
    e.segment_name as external_cluster_name,
    concat(cast(i.segment_id as {{ dbt.type_string() }}), '-', cast(e.segment_id as {{ dbt.type_string() }})) as merged_cluster
from {{ ref('internal_store_clusters') }} i
join {{ ref('external_store_clusters') }} e on e.id = i.id
