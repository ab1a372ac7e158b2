{# Lower-cases and trims an e-mail; returns null when it does not look like an address. #}
{% macro normalize_email(column) -%}
case
    when regexp_matches(lower(trim({{ column }})), '^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$')
        then lower(trim({{ column }}))
end
{%- endmacro %}
