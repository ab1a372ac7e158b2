{# The DuckDB 64-bit key bitmaps of this project (repeated_keys, audit_distinct_keys, market_basket_pairs): an integer
   key falls in group key >> 6 at bit key & 63, exact for every bigint key, negative ones too. The bit operators are
   called by their function names ("<<"(a, b) is a << b) so that Calcite's parser reads the models and keeps their
   column lineage. The bit number is cast to ubigint: ubigint << bigint binds as a hugeint shift (~0.5 s more CPU
   per 13.8M keys). Written once here, so that no copy keeps the slow form. #}
{% macro key_group(key) -%}
">>"(cast({{ key }} as bigint), 6)
{%- endmacro %}

{% macro key_bit(key) -%}
"<<"(cast(1 as ubigint), cast("&"(cast({{ key }} as bigint), 63) as ubigint))
{%- endmacro %}

{# The values of an integer key that occur in more than one row of a relation (the null key left out), each once:
   what `group by key having count(*) > 1` gives. On DuckDB that grouping makes one hash-table entry per key
   (~5 s of CPU for 13.8M transaction ids); there the keys are first grouped 64 to a group (key_group) and a group
   can hold a repeat only if it has more rows than set bits in its 64-bit bitmap of keys, so only the rows of those
   (usually no) groups are grouped by key. #}
{% macro repeated_keys(relation, key) -%}
{%- if target.type == 'duckdb' -%}
select k.{{ key }}
    from {{ relation }} k
    join (
        select {{ key_group(key) }} as key_group
        from {{ relation }}
        where {{ key }} is not null
        group by {{ key_group(key) }}
        having count(*) > bit_count(bit_or({{ key_bit(key) }}))
    ) g on {{ key_group('k.' ~ key) }} = g.key_group
    group by k.{{ key }}
    having count(*) > 1
{%- else -%}
select {{ key }}
    from {{ relation }}
    where {{ key }} is not null
    group by {{ key }}
    having count(*) > 1
{%- endif -%}
{%- endmacro %}
