{# Identity unification without a recursive query (Spark has none): the keys that link customer records, and
   the pairs of records within reach of each other by linking keys, found by path doubling. #}

{# What the identity_resolution operator compares, from cleaned customer records (slv_customers_clean's columns):
   names lower-cased and their initials (the blocking keys of the name + address rule), the normalized address, the
   phone digits and their two halves (the blocking keys of the name + phone rule: a number mistyped in one digit
   still shares one half). #}
{% macro identity_match_fields(relation) -%}
select
    customer_id,
    lower(first_name) as first_name,
    lower(last_name) as last_name,
    substr(lower(first_name), 1, 1) as first_initial,
    substr(lower(last_name), 1, 1) as last_initial,
    email,
    phone_digits,
    substr(phone_digits, 1, 6) as phone_head,
    substr(phone_digits, 7, 4) as phone_tail,
    state,
    lower(city) as city,
    address_key
from {{ relation }}
{%- endmacro %}

{# The exact keys a person is recognised by: the normalized e-mail and the phone digits. #}
{% macro identity_match_keys(relation) -%}
select customer_id, 'email:' || email as match_key
from {{ relation }}
where email is not null
union all
select customer_id, 'phone:' || phone_digits as match_key
from {{ relation }}
where phone_digits is not null
{%- endmacro %}

{# CTEs reach_0 .. reach_<rounds>: reach_0 is the edges relation (from_id, to_id, with every linked record's
   own loop); each round joins the previous one with itself, so reach_<rounds> holds every pair at most
   2^rounds links apart. Groups wider than that would be split: the identity_links_converged test guards it. #}
{% macro reach_by_doubling(edges, rounds) -%}
reach_0 as (
    select from_id, to_id from {{ edges }}
)
{%- for r in range(1, rounds + 1) %},

reach_{{ r }} as (
    select distinct a.from_id, b.to_id
    from reach_{{ r - 1 }} a
    join reach_{{ r - 1 }} b on b.from_id = a.to_id
)
{%- endfor %}
{%- endmacro %}
