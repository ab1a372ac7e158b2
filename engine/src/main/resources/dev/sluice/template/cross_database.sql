{#-
  dbt's cross-database macros, written for this engine. Each public macro dispatches through
  adapter.dispatch(name, 'dbt'), so a project (or a package named in its dispatch: config) overrides
  any of them with a <adapter>__name or default__name macro of its own, as in dbt.
-#}

{#- ---- data types ---------------------------------------------------------------------- -#}

{% macro type_string() %}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{% endmacro %}
{% macro default__type_string() %}{{ return(api.Column.translate_type('string')) }}{% endmacro %}

{% macro type_timestamp() %}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{% endmacro %}
{% macro default__type_timestamp() %}{{ return(api.Column.translate_type('timestamp')) }}{% endmacro %}

{% macro type_float() %}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{% endmacro %}
{% macro default__type_float() %}{{ return(api.Column.translate_type('float')) }}{% endmacro %}

{% macro type_numeric() %}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{% endmacro %}
{% macro default__type_numeric() %}{{ return(api.Column.numeric_type('numeric', 28, 6)) }}{% endmacro %}
{% macro spark__type_numeric() %}{{ return('decimal(28,6)') }}{% endmacro %}

{% macro type_bigint() %}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{% endmacro %}
{% macro default__type_bigint() %}{{ return(api.Column.translate_type('bigint')) }}{% endmacro %}

{% macro type_int() %}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{% endmacro %}
{% macro default__type_int() %}{{ return(api.Column.translate_type('integer')) }}{% endmacro %}

{% macro type_boolean() %}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{% endmacro %}
{% macro default__type_boolean() %}{{ return(api.Column.translate_type('boolean')) }}{% endmacro %}

{#- ---- timestamps ------------------------------------------------------------------------ -#}

{% macro current_timestamp() %}{{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}{% endmacro %}
{% macro default__current_timestamp() %}current_timestamp{% endmacro %}
{% macro postgres__current_timestamp() %}now(){% endmacro %}
{% macro duckdb__current_timestamp() %}now(){% endmacro %}
{% macro snowflake__current_timestamp() %}convert_timezone('UTC', current_timestamp()){% endmacro %}
{% macro spark__current_timestamp() %}current_timestamp(){% endmacro %}

{#- dbt_utils' former current_timestamp, kept by dbt for projects that still call it: without time zone. -#}
{% macro current_timestamp_backcompat() %}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{% endmacro %}
{% macro default__current_timestamp_backcompat() %}cast(current_timestamp as {{ type_timestamp() }}){% endmacro %}
{% macro current_timestamp_in_utc_backcompat() %}{{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}{% endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() %}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{% endmacro %}
{% macro postgres__current_timestamp_in_utc_backcompat() %}cast(current_timestamp at time zone 'utc' as {{ type_timestamp() }}){% endmacro %}
{% macro duckdb__current_timestamp_in_utc_backcompat() %}cast(current_timestamp at time zone 'utc' as {{ type_timestamp() }}){% endmacro %}
{% macro snowflake__current_timestamp_in_utc_backcompat() %}cast(convert_timezone('UTC', current_timestamp()) as {{ type_timestamp() }}){% endmacro %}

{#- The time a snapshot stamps its rows with, as dbt's snapshot macros read it: without time zone. -#}
{% macro snapshot_get_time() %}{{ return(adapter.dispatch('snapshot_get_time', 'dbt')()) }}{% endmacro %}
{% macro default__snapshot_get_time() %}{{ current_timestamp() }}{% endmacro %}
{% macro postgres__snapshot_get_time() %}cast({{ current_timestamp() }} as timestamp without time zone){% endmacro %}
{% macro duckdb__snapshot_get_time() %}cast({{ current_timestamp() }} as timestamp){% endmacro %}

{#- ---- dates ----------------------------------------------------------------------------- -#}

{% macro dateadd(datepart, interval, from_date_or_timestamp) %}
  {{- return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) -}}
{% endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
  dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- DuckDB and PostgreSQL multiply a one-unit interval, so the amount may be any expression. -#}
{#-
  A bare string literal ('2018-01-01') as a timestamp: DuckDB cannot add an interval to one, and PostgreSQL
  would read the literal as an interval. Any other expression is left as it is.
-#}
{% macro sluice__timestamp_literal(expression) -%}
  {%- set e = expression | string | trim -%}
  {%- if e.startswith("'") and e.endswith("'") and (e | length) - (e | replace("'", "") | length) == 2 -%}
    {{- return('cast(' ~ e ~ ' as timestamp)') -}}
  {%- endif -%}
  {{- return(expression) -}}
{%- endmacro %}

{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- set from_date_or_timestamp = sluice__timestamp_literal(from_date_or_timestamp) -%}
  {%- set unit = datepart | lower | trim -%}
  {%- set factor = 3 if unit == 'quarter' else (7 if unit == 'week' else 1) -%}
  {%- set unit = 'month' if unit == 'quarter' else ('day' if unit == 'week' else unit) -%}
  ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * {{ factor }} * interval 1 {{ unit }})
{%- endmacro %}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- set from_date_or_timestamp = sluice__timestamp_literal(from_date_or_timestamp) -%}
  {%- set unit = datepart | lower | trim -%}
  {%- set one = '3 month' if unit == 'quarter' else '1 ' ~ unit -%}
  ({{ from_date_or_timestamp }} + (interval '{{ one }}') * ({{ interval }}))
{%- endmacro %}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
  timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) %}
  {{- return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) -}}
{% endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
  datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{#-
  Warehouses without a boundary-counting datediff: the number of unit boundaries crossed between the
  two values, as Snowflake counts them (weeks start on Sunday, as dbt's reference tests expect).
-#}
{% macro duckdb__datediff(first_date, second_date, datepart) -%}
  {%- set unit = datepart | lower | trim -%}
  {%- if unit == 'week' -%}
  (date_diff('day', date_trunc('day', cast({{ first_date }} as timestamp)) - cast(extract(dow from cast({{ first_date }} as timestamp)) as integer) * interval 1 day,
     date_trunc('day', cast({{ second_date }} as timestamp)) - cast(extract(dow from cast({{ second_date }} as timestamp)) as integer) * interval 1 day) // 7)
  {%- else -%}
  date_diff('{{ unit }}', cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp))
  {%- endif -%}
{%- endmacro %}

{% macro postgres__datediff(first_date, second_date, datepart) -%}
  {%- set unit = datepart | lower | trim -%}
  {%- set a = '(' ~ first_date ~ ')::timestamp' -%}
  {%- set b = '(' ~ second_date ~ ')::timestamp' -%}
  {%- if unit == 'year' -%}
  (date_part('year', {{ b }}) - date_part('year', {{ a }}))::bigint
  {%- elif unit == 'quarter' -%}
  ((date_part('year', {{ b }}) - date_part('year', {{ a }})) * 4 + date_part('quarter', {{ b }}) - date_part('quarter', {{ a }}))::bigint
  {%- elif unit == 'month' -%}
  ((date_part('year', {{ b }}) - date_part('year', {{ a }})) * 12 + date_part('month', {{ b }}) - date_part('month', {{ a }}))::bigint
  {%- elif unit == 'week' -%}
  ((({{ b }})::date - date_part('dow', {{ b }})::int - (({{ a }})::date - date_part('dow', {{ a }})::int)) / 7)::bigint
  {%- elif unit == 'day' -%}
  (({{ b }})::date - ({{ a }})::date)::bigint
  {%- elif unit in ('hour', 'minute', 'second', 'millisecond', 'microsecond') -%}
  {%- set per = {'hour': 3600, 'minute': 60, 'second': 1, 'millisecond': 0.001, 'microsecond': 0.000001}[unit] -%}
  {%- if unit in ('millisecond', 'microsecond') -%}
  ((extract(epoch from date_trunc('{{ unit }}s', {{ b }})) - extract(epoch from date_trunc('{{ unit }}s', {{ a }}))) * {{ 1000 if unit == 'millisecond' else 1000000 }})::bigint
  {%- else -%}
  ((extract(epoch from date_trunc('{{ unit }}', {{ b }})) - extract(epoch from date_trunc('{{ unit }}', {{ a }}))) / {{ per }})::bigint
  {%- endif -%}
  {%- else -%}
  {{ exceptions.raise_compiler_error("datediff does not know the date part '" ~ datepart ~ "' on postgres") }}
  {%- endif -%}
{%- endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
  {%- set unit = datepart | lower | trim -%}
  {%- set a = 'cast(' ~ first_date ~ ' as timestamp)' -%}
  {%- set b = 'cast(' ~ second_date ~ ' as timestamp)' -%}
  {%- if unit == 'year' -%}
  (year({{ b }}) - year({{ a }}))
  {%- elif unit == 'quarter' -%}
  ((year({{ b }}) - year({{ a }})) * 4 + quarter({{ b }}) - quarter({{ a }}))
  {%- elif unit == 'month' -%}
  ((year({{ b }}) - year({{ a }})) * 12 + month({{ b }}) - month({{ a }}))
  {%- elif unit == 'week' -%}
  cast((datediff(date_sub(cast({{ b }} as date), dayofweek({{ b }}) - 1), date_sub(cast({{ a }} as date), dayofweek({{ a }}) - 1))) / 7 as bigint)
  {%- elif unit == 'day' -%}
  datediff(cast({{ b }} as date), cast({{ a }} as date))
  {%- else -%}
  {%- set per = {'hour': 3600, 'minute': 60, 'second': 1}[unit] -%}
  cast((unix_timestamp(date_trunc('{{ unit }}', {{ b }})) - unix_timestamp(date_trunc('{{ unit }}', {{ a }}))) / {{ per }} as bigint)
  {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) %}{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}{% endmacro %}
{% macro default__date_trunc(datepart, date) -%}
  date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{% macro last_day(date, datepart) %}{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}{% endmacro %}
{#- The day before the start of the next period. -#}
{% macro default_last_day(date, datepart) -%}
  cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}
{% macro default__last_day(date, datepart) %}{{ return(dbt.default_last_day(date, datepart)) }}{% endmacro %}

{% macro date(year, month, day) %}{{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}{% endmacro %}
{% macro default__date(year, month, day) -%}
  {%- set iso = modules.datetime.date(year, month, day).strftime('%Y-%m-%d') -%}
  to_date('{{ iso }}', 'YYYY-MM-DD')
{%- endmacro %}
{% macro duckdb__date(year, month, day) %}make_date({{ year }}, {{ month }}, {{ day }}){% endmacro %}
{% macro postgres__date(year, month, day) %}make_date({{ year }}, {{ month }}, {{ day }}){% endmacro %}
{% macro spark__date(year, month, day) %}make_date({{ year }}, {{ month }}, {{ day }}){% endmacro %}

{#- ---- strings --------------------------------------------------------------------------- -#}

{% macro concat(fields) %}{{ return(adapter.dispatch('concat', 'dbt')(fields)) }}{% endmacro %}
{% macro default__concat(fields) %}{{ fields | join(' || ') }}{% endmacro %}
{% macro spark__concat(fields) %}concat({{ fields | join(', ') }}){% endmacro %}

{% macro hash(field) %}{{ return(adapter.dispatch('hash', 'dbt')(field)) }}{% endmacro %}
{% macro default__hash(field) -%}
  md5(cast({{ field }} as {{ api.Column.translate_type('string') }}))
{%- endmacro %}

{% macro safe_cast(field, type) %}{{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}{% endmacro %}
{% macro default__safe_cast(field, type) %}cast({{ field }} as {{ type }}){% endmacro %}
{% macro duckdb__safe_cast(field, type) %}try_cast({{ field }} as {{ type }}){% endmacro %}
{% macro snowflake__safe_cast(field, type) %}try_cast({{ field }} as {{ type }}){% endmacro %}
{% macro spark__safe_cast(field, type) %}try_cast({{ field }} as {{ type }}){% endmacro %}

{% macro cast(field, type) %}{{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}{% endmacro %}
{% macro default__cast(field, type) %}cast({{ field }} as {{ type }}){% endmacro %}

{% macro cast_bool_to_text(field) %}{{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}{% endmacro %}
{% macro default__cast_bool_to_text(field) -%}
  cast({{ field }} as {{ api.Column.translate_type('string') }})
{%- endmacro %}

{% macro split_part(string_text, delimiter_text, part_number) -%}
  {{- return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) -}}
{%- endmacro %}
{#- Negative parts count from the end, in every warehouse here that has split_part. -#}
{% macro default__split_part(string_text, delimiter_text, part_number) -%}
  split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
  {{- return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) -}}
{%- endmacro %}
{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- if limit_num -%}
  array_to_string(array_slice(array_agg({{ measure }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}, 0, {{ limit_num }}), {{ delimiter_text }})
  {%- else -%}
  listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
  {%- endif -%}
{%- endmacro %}
{% macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- if limit_num -%}
  array_to_string((array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}))[1:{{ limit_num }}], {{ delimiter_text }})
  {%- else -%}
  string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
  {%- endif -%}
{%- endmacro %}
{#- DuckDB has PostgreSQL's string_agg, ordered array_agg and array slices. -#}
{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {{- postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -}}
{%- endmacro %}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- if order_by_clause -%}
  {#- collect_list keeps no order: collect (order key, value) pairs, sort them, keep the values. -#}
  {%- set key = order_by_clause | replace('order by', '') | replace('ORDER BY', '') | trim -%}
  {%- set sorted = 'transform(array_sort(collect_list(struct(' ~ key ~ ' as k, ' ~ measure ~ ' as v))), x -> x.v)' -%}
  {%- else -%}
  {%- set sorted = 'collect_list(' ~ measure ~ ')' -%}
  {%- endif -%}
  array_join({% if limit_num %}slice({{ sorted }}, 1, {{ limit_num }}){% else %}{{ sorted }}{% endif %}, {{ delimiter_text }})
{%- endmacro %}

{% macro position(substring_text, string_text) -%}
  {{- return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) -}}
{%- endmacro %}
{% macro default__position(substring_text, string_text) %}position({{ substring_text }} in {{ string_text }}){% endmacro %}
{% macro spark__position(substring_text, string_text) %}locate({{ substring_text }}, {{ string_text }}){% endmacro %}

{% macro replace(field, old_chars, new_chars) -%}
  {{- return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) -}}
{%- endmacro %}
{% macro default__replace(field, old_chars, new_chars) %}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){% endmacro %}

{% macro right(string_text, length_expression) -%}
  {{- return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) -}}
{%- endmacro %}
{% macro default__right(string_text, length_expression) %}right({{ string_text }}, {{ length_expression }}){% endmacro %}
{#- PostgreSQL's right() takes an integer, not the bigint a seed column or a count may be. -#}
{% macro postgres__right(string_text, length_expression) %}right({{ string_text }}, cast({{ length_expression }} as integer)){% endmacro %}

{% macro length(expression) %}{{ return(adapter.dispatch('length', 'dbt')(expression)) }}{% endmacro %}
{% macro default__length(expression) %}length({{ expression }}){% endmacro %}

{% macro string_literal(value) %}{{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}{% endmacro %}
{% macro default__string_literal(value) %}'{{ value }}'{% endmacro %}

{% macro escape_single_quotes(expression) -%}
  {{- return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) -}}
{%- endmacro %}
{% macro default__escape_single_quotes(expression) %}{{ expression | replace("'", "''") }}{% endmacro %}
{#- These warehouses read a backslash in a literal as an escape. -#}
{% macro snowflake__escape_single_quotes(expression) %}{{ expression | replace("\\", "\\\\") | replace("'", "\\'") }}{% endmacro %}
{% macro spark__escape_single_quotes(expression) %}{{ expression | replace("\\", "\\\\") | replace("'", "\\'") }}{% endmacro %}

{% macro equals(expr1, expr2) %}{{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}{% endmacro %}
{% macro default__equals(expr1, expr2) %}({{ expr1 }} = {{ expr2 }}){% endmacro %}

{#- ---- aggregates ------------------------------------------------------------------------ -#}

{% macro any_value(expression) %}{{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}{% endmacro %}
{% macro default__any_value(expression) %}any_value({{ expression }}){% endmacro %}
{#- PostgreSQL has no any_value before version 16: min() returns one of the values too. -#}
{% macro postgres__any_value(expression) %}min({{ expression }}){% endmacro %}
{% macro spark__any_value(expression) %}first({{ expression }}){% endmacro %}

{% macro bool_or(expression) %}{{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}{% endmacro %}
{% macro default__bool_or(expression) %}bool_or({{ expression }}){% endmacro %}
{% macro snowflake__bool_or(expression) %}boolor_agg({{ expression }}){% endmacro %}

{#- ---- set operators ---------------------------------------------------------------------- -#}

{% macro except() %}{{ return(adapter.dispatch('except', 'dbt')()) }}{% endmacro %}
{% macro default__except() %}except{% endmacro %}

{% macro intersect() %}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{% endmacro %}
{% macro default__intersect() %}intersect{% endmacro %}

{#- ---- series ---------------------------------------------------------------------------- -#}

{#- The smallest n >= 1 with 2^n >= upper_bound: how many bits generate_series needs. -#}
{% macro get_powers_of_two(upper_bound) %}{{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}{% endmacro %}
{% macro default__get_powers_of_two(upper_bound) -%}
  {%- if upper_bound <= 0 -%}
  {{ exceptions.raise_compiler_error("generate_series needs a positive upper bound, got " ~ upper_bound) }}
  {%- endif -%}
  {%- set powers = [2] -%}
  {%- for k in range(62) -%}
    {%- if (powers | last) < upper_bound -%}{%- do powers.append((powers | last) * 2) -%}{%- endif -%}
  {%- endfor -%}
  {{- return(powers | length) -}}
{%- endmacro %}

{% macro generate_series(upper_bound) %}{{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}{% endmacro %}
{#- Numbers 1..upper_bound from the bits of a cross join of n two-row tables. -#}
{% macro default__generate_series(upper_bound) -%}
  {%- set n = dbt.get_powers_of_two(upper_bound) -%}
  {%- set weights = [1] -%}
  {%- for i in range(n) -%}{%- do weights.append((weights | last) * 2) -%}{%- endfor -%}
  with bit as (select 0 as b union all select 1), numbers as (
    select {% for i in range(n) %}b{{ i }}.b * {{ weights[i] }} + {% endfor %}1 as generated_number
    from {% for i in range(n) %}bit as b{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
  )
  select generated_number from numbers where generated_number <= {{ upper_bound }} order by generated_number
{%- endmacro %}
{% macro duckdb__generate_series(upper_bound) -%}
  select generate_series as generated_number from generate_series(1, {{ upper_bound }})
{%- endmacro %}
{% macro postgres__generate_series(upper_bound) -%}
  select generated_number from generate_series(1, {{ upper_bound }}) as g(generated_number)
{%- endmacro %}
{% macro spark__generate_series(upper_bound) -%}
  select explode(sequence(1, {{ upper_bound }})) as generated_number
{%- endmacro %}

{#- How many datepart periods lie between two dates, asked of the warehouse as dbt does. -#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
  {{- return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) -}}
{%- endmacro %}
{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
  {%- set result = run_query('select ' ~ dbt.datediff(start_date, end_date, datepart)) -%}
  {%- if result is not none and result.rows | length > 0 and result.rows[0][0] is not none -%}
    {{- return(result.rows[0][0] | int) -}}
  {%- else -%}
    {{- return(1) -}}
  {%- endif -%}
{%- endmacro %}

{% macro date_spine(datepart, start_date, end_date) -%}
  {{- return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) -}}
{%- endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
  {%- set periods = dbt.get_intervals_between(start_date, end_date, datepart) -%}
  with spine_numbers as (
    {{ dbt.generate_series(periods if periods > 0 else 1) }}
  ), spine_periods as (
    select {{ dbt.dateadd(datepart, 'generated_number - 1', start_date) }} as date_{{ datepart }}
    from spine_numbers
  )
  select * from spine_periods where date_{{ datepart }} < {{ end_date }}
{%- endmacro %}

{#- ---- arrays ---------------------------------------------------------------------------- -#}

{% macro array_construct(inputs=[], data_type=api.Column.translate_type('integer')) -%}
  {{- return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) -}}
{%- endmacro %}
{% macro default__array_construct(inputs, data_type) -%}
  {%- if inputs | length > 0 -%}array[{{ inputs | join(', ') }}]{%- else -%}array[]::{{ data_type }}[]{%- endif -%}
{%- endmacro %}
{% macro duckdb__array_construct(inputs, data_type) -%}
  {%- if inputs | length > 0 -%}[{{ inputs | join(', ') }}]{%- else -%}cast([] as {{ data_type }}[]){%- endif -%}
{%- endmacro %}
{% macro snowflake__array_construct(inputs, data_type) %}array_construct({{ inputs | join(', ') }}){% endmacro %}
{% macro spark__array_construct(inputs, data_type) %}array({{ inputs | join(', ') }}){% endmacro %}

{% macro array_append(array, new_element) %}{{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}{% endmacro %}
{% macro default__array_append(array, new_element) %}array_append({{ array }}, {{ new_element }}){% endmacro %}
{% macro spark__array_append(array, new_element) %}concat({{ array }}, array({{ new_element }})){% endmacro %}

{% macro array_concat(array_1, array_2) %}{{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}{% endmacro %}
{% macro default__array_concat(array_1, array_2) %}array_cat({{ array_1 }}, {{ array_2 }}){% endmacro %}
{% macro duckdb__array_concat(array_1, array_2) %}list_concat({{ array_1 }}, {{ array_2 }}){% endmacro %}
{% macro spark__array_concat(array_1, array_2) %}concat({{ array_1 }}, {{ array_2 }}){% endmacro %}
