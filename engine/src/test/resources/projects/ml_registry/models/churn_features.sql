-- Deterministic synthetic customers: three features from multiplicative hashes of the id, churned when a
-- weighted sum of two of them plus a noise term is high. var('shift') changes the data (and so the fingerprint).
select
    i as customer_id,
    cast(((i * 7919 + {{ var('shift') }}) % 997) as double precision) / 997 as recency,
    cast(((i * 104729) % 991) as double precision) / 991 as spend_drop,
    cast(((i * 31337) % 983) as double precision) / 983 as tenure,
    case when ((i * 7919 + {{ var('shift') }}) % 997) / 997.0 + 0.6 * ((i * 104729) % 991) / 991.0
              + 0.5 * ((i * 65537) % 101) / 101.0 > 1.1 then 1 else 0 end as churned
from generate_series(1, {{ var('customers') }}) as t(i)
