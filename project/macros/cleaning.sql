{# Cleaning helpers shared by the silver models; dialect differences are kept here. #}

{% macro normalize_email(column) -%}
case
    when {{ regex_match('lower(trim(' ~ column ~ '))', '^[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$') }}
        then lower(trim({{ column }}))
end
{%- endmacro %}

{% macro regex_match(expression, pattern) -%}
{%- if target.type == 'postgres' -%}
({{ expression }} ~ '{{ pattern }}')
{%- else -%}
regexp_matches({{ expression }}, '{{ pattern }}')
{%- endif -%}
{%- endmacro %}

{# Digits only, with a leading US country code dropped: "(555) 123-4567" and "+1 555.123.4567" match. #}
{% macro phone_digits(column) -%}
case
    when length(regexp_replace({{ column }}, '[^0-9]', '', 'g')) = 11
         and regexp_replace({{ column }}, '[^0-9]', '', 'g') like '1%'
        then substr(regexp_replace({{ column }}, '[^0-9]', '', 'g'), 2)
    when length(regexp_replace({{ column }}, '[^0-9]', '', 'g')) = 10
        then regexp_replace({{ column }}, '[^0-9]', '', 'g')
end
{%- endmacro %}

{# Days from one date to a later one, on every warehouse. #}
{% macro days_between(start_date, end_date) -%}
(cast({{ end_date }} as date) - cast({{ start_date }} as date))
{%- endmacro %}

{% macro month_start(column) -%}
cast(date_trunc('month', {{ column }}) as date)
{%- endmacro %}

{# The date the gold metrics are computed as of: the end of the generated window. #}
{% macro as_of_date() -%}
cast('{{ var('end_date') }}' as date)
{%- endmacro %}
