-- Open membership rows are exactly the current members of every segment.
with current_members as (
    select segment_name, cast(customer_id as {{ type_string() }}) as member_id from {{ ref('winback_at_risk_high_value') }}
    union all
    select segment_name, cast(customer_id as {{ type_string() }}) from {{ ref('vip_early_access') }}
    union all
    select segment_name, cast(customer_id as {{ type_string() }}) from {{ ref('lookalike_acquisition') }}
    union all
    select segment_name, cast(customer_id as {{ type_string() }}) from {{ ref('grocery_regulars') }}
    union all
    select segment_name, cast(customer_id as {{ type_string() }}) from {{ ref('travel_spenders_180d') }}
    union all
    select segment_name, cast(customer_id as {{ type_string() }}) from {{ ref('lapsed_valuable') }}
),
open_rows as (
    select segment_name, member_id from {{ ref('segment_membership') }} where dbt_valid_to is null
)
(select * from current_members except select * from open_rows)
union all
(select * from open_rows except select * from current_members)
