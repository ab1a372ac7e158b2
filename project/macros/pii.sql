{# PII protection (seed 003): the columns tagged pii in schema YAML (customer_360_profile's e-mail, phone and
   names) leave silver only hashed or masked, so gold tables, the tables built on them and every export hold no
   clear value. A target listed in var('pii_clear_targets') (a secured one, for the team allowed to see them)
   gets the clear values. #}

{% macro pii_clear() -%}
{{ return(target.name in var('pii_clear_targets', [])) }}
{%- endmacro %}

{# Lower-case hex SHA-256 of a text: the hash ad platforms match normalized e-mails by. #}
{% macro sha256_hex(expr) -%}
{%- if target.type in ('spark', 'databricks') -%} sha2({{ expr }}, 256)
{%- elif target.type in ('postgres', 'redshift') -%} encode(sha256(convert_to({{ expr }}, 'UTF8')), 'hex')
{%- else -%} sha256({{ expr }})
{%- endif -%}
{%- endmacro %}

{# An identifier (e-mail): its SHA-256, or the clear value where allowed. #}
{% macro pii_hash(expr) -%}
{%- if pii_clear() -%} {{ expr }} {%- else -%} {{ sha256_hex(expr) }} {%- endif -%}
{%- endmacro %}

{# A phone number: the last two digits only, or the clear value where allowed. #}
{% macro pii_mask_phone(expr) -%}
{%- if pii_clear() -%} {{ expr }} {%- else -%} case when {{ expr }} is not null then '********' || substr({{ expr }}, length({{ expr }}) - 1, 2) end {%- endif -%}
{%- endmacro %}

{# A name: its initial, or the clear value where allowed. #}
{% macro pii_mask_name(expr) -%}
{%- if pii_clear() -%} {{ expr }} {%- else -%} case when {{ expr }} is not null then substr({{ expr }}, 1, 1) || '.' end {%- endif -%}
{%- endmacro %}

{# Whether a text is a clear e-mail address, or a clear North American phone number in any of the sources'
   formats (a hash or a masked value is neither). Each regex is behind a test every match passes (an '@' before a
   '.'; a phone's first character), so it runs only on the few values that could match: on DuckDB the regexes
   over the 13.4M-row fct_transactions' five text columns took 7.7 s of CPU, the tests first 0.5 s. #}
{% macro looks_like_email(expr) -%}
({{ expr }} like '%@%.%' and {{ regex_match(expr, '@[a-z0-9-]+[.][a-z]') }})
{%- endmacro %}

{#- A phone has no letter, so a hex letter rules a value out before the regex: the gold tables' run ids are UUIDs,
    which start with a digit in 10 builds of 16, and then the regex ran on each of fct_transactions' 13.4M rows
    (1.5 s of CPU on DuckDB; a LIKE there is evaluated once per dictionary entry: 0.05 s). -#}
{% macro looks_like_phone(expr) -%}
(substr({{ expr }}, 1, 1) in ('+', '(', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
 {%- for letter in ['a', 'b', 'c', 'd', 'e', 'f'] %}
 and {{ expr }} not like '%{{ letter }}%'
 {%- endfor %}
 and {{ regex_match(expr, '^[+]?(1[ .-]?)?[(]?[0-9]{3}[)]?[ .-]*[0-9]{3}[ .-]*[0-9]{4}$') }})
{%- endmacro %}

{# Rows of a column that hold a clear e-mail address or phone number; none may, unless this target is allowed
   clear values. #}
{% test no_clear_pii(model, column_name) %}
select {{ column_name }}
from {{ model }}
where not {{ pii_clear() }}
  and ({{ looks_like_email(column_name) }} or {{ looks_like_phone(column_name) }})
{% endtest %}
