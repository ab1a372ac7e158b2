{# Cleaning helpers shared by the silver models; dialect differences are kept here. #}

{% macro normalize_email(column) -%}
case
    when {{ regex_match('lower(trim(' ~ column ~ '))', '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$') }}
        then lower(trim({{ column }}))
end
{%- endmacro %}

{# Whether the pattern matches anywhere in the expression; patterns avoid backslashes (write [.] for a dot),
   as Spark's string literals would read them as escapes. #}
{% macro regex_match(expression, pattern) -%}
{%- if target.type == 'postgres' -%}
({{ expression }} ~ '{{ pattern }}')
{%- elif target.type in ('spark', 'databricks') -%}
({{ expression }} rlike '{{ pattern }}')
{%- else -%}
regexp_matches({{ expression }}, '{{ pattern }}')
{%- endif -%}
{%- endmacro %}

{# The digits of a value: Spark replaces every match and takes no flags; elsewhere 'g' asks for all. #}
{% macro digits_only(column) -%}
{%- if target.type in ('spark', 'databricks') -%}
regexp_replace({{ column }}, '[^0-9]', '')
{%- else -%}
regexp_replace({{ column }}, '[^0-9]', '', 'g')
{%- endif -%}
{%- endmacro %}

{# Digits only, with a leading US country code dropped: "(555) 123-4567" and "+1 555.123.4567" match. #}
{% macro phone_digits(column) -%}
case
    when length({{ digits_only(column) }}) = 11
         and {{ digits_only(column) }} like '1%'
        then substr({{ digits_only(column) }}, 2)
    when length({{ digits_only(column) }}) = 10
        then {{ digits_only(column) }}
end
{%- endmacro %}

{# The date the gold metrics are computed as of: the end of the generated window. #}
{% macro as_of_date() -%}
cast('{{ var('end_date') }}' as date)
{%- endmacro %}
