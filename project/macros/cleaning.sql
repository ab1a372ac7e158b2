{# Cleaning helpers shared by the silver models; dialect differences are kept here. #}

{# An address with every whitespace and invisible character removed (an address has none), lower-cased:
   plain trim() strips spaces only, so tab-, no-break- or zero-width-padded addresses were rejected. #}
{% macro normalize_email(column) -%}
{%- set cleaned = 'lower(' ~ strip_invisible(column) ~ ')' -%}
case
    when {{ regex_match(cleaned, '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$') }}
        then {{ cleaned }}
end
{%- endmacro %}

{# A regular-expression class of whitespace and invisible characters: ASCII whitespace (tab to carriage
   return, space), next line, no-break space, Ogham space, Mongolian vowel separator, the Unicode spaces,
   zero-width spaces and joiners, direction marks, line/paragraph separators, narrow no-break space, word
   joiner and invisible operators, ideographic space, byte-order mark. Each regex engine spells a code point
   its own way: PostgreSQL \uXXXX, RE2 (DuckDB) \x{XXXX}; Spark reads \uXXXX in the string literal itself
   and hands the characters to Java's regex. #}
{% macro invisible_class() -%}
{%- if target.type in ('postgres', 'spark', 'databricks') -%}
[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]
{%- else -%}
[\x{0009}-\x{000d}\x{0020}\x{0085}\x{00a0}\x{1680}\x{180e}\x{2000}-\x{200f}\x{2028}-\x{202f}\x{205f}-\x{2064}\x{3000}\x{feff}]
{%- endif -%}
{%- endmacro %}

{# Every whitespace and invisible character removed, wherever it is (for e-mail addresses and phones). #}
{% macro strip_invisible(column) -%}
{{ regex_replace_all(column, invisible_class()) }}
{%- endmacro %}

{# Leading and trailing whitespace and invisible characters removed (for names and places). #}
{% macro trim_invisible(column) -%}
{{ regex_replace_all(column, '^' ~ invisible_class() ~ '+|' ~ invisible_class() ~ '+$') }}
{%- endmacro %}

{# Every match of the pattern removed: Spark replaces every match and takes no flags; elsewhere 'g'. #}
{% macro regex_replace_all(column, pattern) -%}
{%- if target.type in ('spark', 'databricks') -%}
regexp_replace({{ column }}, '{{ pattern }}', '')
{%- else -%}
regexp_replace({{ column }}, '{{ pattern }}', '', 'g')
{%- endif -%}
{%- endmacro %}

{# Every match of the pattern replaced (Spark replaces every match and takes no flags; elsewhere 'g'). #}
{% macro regex_replace_each(column, pattern, replacement) -%}
{%- if target.type in ('spark', 'databricks') -%}
regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}')
{%- else -%}
regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endif -%}
{%- endmacro %}

{# A street address in one spelling for matching: lower-case, "#" read as an apartment, punctuation and
   repeated spaces gone, and the usual words abbreviated as the postal service does ("123 Maple Street, Apt. 4"
   and "123 MAPLE ST #4" both become "123 maple st apt 4"). Plain replace() on space-padded words, which every
   warehouse has, instead of regular-expression word boundaries, which each spells its own way. #}
{% macro normalize_address(column) -%}
{%- set words = [['street', 'st'], ['avenue', 'ave'], ['road', 'rd'], ['drive', 'dr'], ['lane', 'ln'],
                 ['boulevard', 'blvd'], ['court', 'ct'], ['place', 'pl'], ['apartment', 'apt'], ['unit', 'apt'],
                 ['suite', 'ste'], ['north', 'n'], ['south', 's'], ['east', 'e'], ['west', 'w']] -%}
{%- set spaced = "' ' || " ~ regex_replace_each("replace(lower(" ~ trim_invisible(column) ~ "), '#', ' apt ')", '[^a-z0-9]+', ' ') ~ " || ' '" -%}
trim({% for w in words %}replace({% endfor %}{{ spaced }}{% for w in words %}, ' {{ w[0] }} ', ' {{ w[1] }} '){% endfor %})
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

{# The digits of a value: whitespace, invisible characters and punctuation all go. #}
{% macro digits_only(column) -%}
{{ regex_replace_all(column, '[^0-9]') }}
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
