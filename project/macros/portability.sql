{# SQL that differs between the warehouses the project builds on: DuckDB and PostgreSQL, and Spark/Databricks.
   Everything else in the models is written in the dialect they share. #}

{# Spark has no unsized varchar. #}
{% macro type_string() -%}
{%- if target.type in ('spark', 'databricks') -%} string {%- else -%} varchar {%- endif -%}
{%- endmacro %}

{# PostgreSQL has no plain "double"; Spark has no "double precision". #}
{% macro type_double() -%}
{%- if target.type in ('spark', 'databricks') -%} double {%- else -%} double precision {%- endif -%}
{%- endmacro %}

{# The exact type of money and ratios, the same on every warehouse: a bare numeric is decimal(18, 3) on DuckDB,
   unbounded on PostgreSQL and decimal(10, 0) on Spark, which made results differ in the 3rd-4th decimal. #}
{% macro type_numeric() -%}
decimal(18, 4)
{%- endmacro %}

{# Money: an amount or a sum of amounts (exact, two decimals in the data) in the project's decimal type. #}
{% macro money(expr) -%}
cast({{ expr }} as {{ type_numeric() }})
{%- endmacro %}

{# money() of a column that may be a wide decimal(38, 10), row by row: the generator's raw amounts were one
   until it declared them decimal(9, 2), and a raw zone keeps the type of its first batch. DuckDB narrows that
   128-bit decimal slowly (about 20 s of CPU for the 13.8M amounts at 50,000 customers, half of slv_transactions);
   through a double it is six times cheaper, and the result is kept only where it equals the column exactly (an
   amount of at most 4 decimals that the double carried without loss); any other value takes the exact cast, so
   the result is always cast(column as decimal(18, 4)). On a decimal(9, 2) column the guard costs 0.4 s of CPU
   for the 13.8M amounts against 0.16 s for the plain cast. Takes a column, not an expression (read 4 times). #}
{% macro money_of_wide_decimal(column) -%}
{%- if target.type == 'duckdb' -%}
case when cast(cast({{ column }} as double) as {{ type_numeric() }}) = {{ column }}
     then cast(cast({{ column }} as double) as {{ type_numeric() }})
     else cast({{ column }} as {{ type_numeric() }}) end
{%- else -%}
{{ money(column) }}
{%- endif -%}
{%- endmacro %}

{# Text with a few distinct values (channels, statuses, categories, merchant names) on DuckDB as an ENUM of exactly
   the values of `column` in `relation` when the model runs, plus `also`: DuckDB writes and reads an ENUM as small
   integer codes, where a VARCHAR column costs string statistics, hashing and dictionary analysis per row
   (slv_transactions' five such columns: the 50,000 build 8 s of CPU less, 86 against 94 s, bench/README.md
   `sql`). The values are in text order, so comparisons, min/max and ORDER BY on the
   column give what the text gave, and each value reads back as the same text; DESCRIBE shows ENUM(...) instead of
   VARCHAR. `expr` must only ever hold those values (a cast of any other fails the model). An incremental table keeps
   its first build's type, so a copy of such a column there takes kept_few_valued_text(). Other warehouses, a relation not built yet (`compile` of a fresh project), an empty list and
   more than 255 values keep plain text. Asking the warehouse makes a build render the model when it runs, after
   `relation` is built. #}
{% macro few_valued_text(expr, relation, column, also=[]) -%}
{%- set values = [] -%}
{%- if target.type == 'duckdb' and execute and load_relation(relation) is not none -%}
{%- set ns = namespace(extra='') -%}
{%- for a in also -%}{%- set ns.extra = ns.extra ~ " union all select '" ~ (a | replace("'", "''")) ~ "'" -%}{%- endfor -%}
{%- set values = run_query('select distinct v from (select ' ~ column ~ ' from ' ~ relation ~ ns.extra ~ ') as q(v) '
                           ~ 'where v is not null order by v').columns[0].values() -%}
{%- endif -%}
{%- if values | length > 0 and values | length <= 255 -%}
cast({{ expr }} as enum({% for v in values %}'{{ v | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}))
{%- else -%}
{{ expr }}
{%- endif -%}
{%- endmacro %}

{# A few_valued_text() column copied into an incremental model (`column` of `this`), kept an ENUM across its runs on
   DuckDB. The first build takes the ENUM of `expr` as it comes (`source_column` of `source`). A later run casts its
   rows to the ENUM of the values of both the table's column and the source column, in text order; the engine's
   incremental materialization then widens the table's ENUM to that (an ALTER in the merge's transaction, under
   on_schema_change append_new_columns or sync_all_columns), so a new merchant lands, no stored value changes and
   comparisons stay the text's. Without that, the table's first ENUM would refuse any value it lacks. A table built
   while the column was text keeps text (until --full-refresh); other warehouses keep the expression as it is.
   `compile` and the first build ask the warehouse nothing. #}
{% macro kept_few_valued_text(expr, source, source_column, column) -%}
{%- set ns = namespace(kept=none, incoming=none) -%}
{%- if target.type == 'duckdb' and execute and is_incremental() -%}
{%- for c in adapter.get_columns_in_relation(this) if c.name | lower == column | lower -%}{%- set ns.kept = c.data_type -%}{%- endfor -%}
{%- for c in adapter.get_columns_in_relation(source) if c.name | lower == source_column | lower -%}{%- set ns.incoming = c.data_type -%}{%- endfor -%}
{%- endif -%}
{%- if ns.kept is none -%}
{{ expr }}
{%- elif not (ns.kept | upper).startswith('ENUM(') -%}
cast({{ expr }} as varchar)
{%- else -%}
{%- set incoming_values -%}
{%- if ns.incoming is not none and (ns.incoming | upper).startswith('ENUM(') -%}
select cast(unnest(enum_range((select {{ source_column }} from {{ source }} limit 1))) as varchar)
{%- else -%}
select cast({{ source_column }} as varchar) from {{ source }}
{%- endif -%}
{%- endset -%}
{%- set values = run_query('select distinct v from (select cast(unnest(enum_range((select ' ~ column ~ ' from ' ~ this
                           ~ ' limit 1))) as varchar) union all ' ~ incoming_values ~ ') as q(v) where v is not null '
                           ~ 'order by v').columns[0].values() -%}
cast({{ expr }} as enum({% for v in values %}'{{ v | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}))
{%- endif -%}
{%- endmacro %}

{# A computed value (average, ratio, share, lift) rounded half away from zero to 4 decimals. It goes through
   decimal(38, 10) first, so a double on one warehouse and an exact numeric on another round alike. #}
{% macro decimal4(expr) -%}
cast(round(cast({{ expr }} as decimal(38, 10)), 4) as {{ type_numeric() }})
{%- endmacro %}

{# A date moved by a whole number of days (negative: back). #}
{% macro add_days(date, days) -%}
{%- if target.type in ('spark', 'databricks') -%}
date_add({{ date }}, {{ days }})
{%- else -%}
({{ date }} + ({{ days }}))
{%- endif -%}
{%- endmacro %}

{# Days from one date to a later one: date minus date is an interval on Spark, a day count elsewhere. #}
{% macro days_between(start_date, end_date) -%}
{%- if target.type in ('spark', 'databricks') -%}
datediff(cast({{ end_date }} as date), cast({{ start_date }} as date))
{%- else -%}
(cast({{ end_date }} as date) - cast({{ start_date }} as date))
{%- endif -%}
{%- endmacro %}

{# Day of the week, 0 = Sunday to 6 = Saturday (PostgreSQL's dow; Spark counts 1 = Sunday to 7). #}
{% macro day_of_week(column) -%}
{%- if target.type in ('spark', 'databricks') -%}
(dayofweek({{ column }}) - 1)
{%- else -%}
extract(dow from {{ column }})
{%- endif -%}
{%- endmacro %}

{# A select-list expression giving one row per day from start_date to end_date, both included. The values are
   timestamps on some warehouses: cast them to date outside the select that produces them. #}
{% macro day_series(start_date, end_date) -%}
{%- if target.type in ('spark', 'databricks') -%}
explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- elif target.type == 'postgres' -%}
generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval '1 day')
{%- else -%}
unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- endif -%}
{%- endmacro %}

{# The first day of the month, as a date (date_trunc gives a timestamp on some warehouses). #}
{% macro month_start(column) -%}
cast(date_trunc('month', {{ column }}) as date)
{%- endmacro %}

{# The Monday starting the week, as a date. #}
{% macro week_start(column) -%}
cast(date_trunc('week', {{ column }}) as date)
{%- endmacro %}
