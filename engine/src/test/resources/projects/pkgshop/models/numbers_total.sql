select sum(scaled) as total_scaled, count(*) as n from {{ ref('helper_numbers') }}
