{#- Jinja that dbt packages use (dbt_utils' get_single_value, get_query_results_as_dict, generic tests). -#}
{%- set ns = namespace(msg='unset') -%}
{%- set ns.msg -%}
  block {{ 1 + 1 }}
{%- endset -%}
{%- set a, b = 3, 4 -%}
{%- set trimmed | trim %}   padded   {% endset -%}
{%- call statement('empty', fetch_result=True) -%}
  select 1 as id, 'x' as label where 1 = 0
{%- endcall -%}
{%- if execute -%}
  {%- set cols = load_result('empty').table.columns -%}
  {%- set first_values = cols[0].values() -%}
  {%- set day = run_query("select cast('2024-03-05' as date) as d").columns[0].values()[0] -%}
  {%- set day_text = day.strftime('%Y/%m/%d') -%}
  {%- set names = [] -%}
  {%- for name, column in cols.items() -%}{%- do names.append(name) -%}{%- endfor -%}
{%- else -%}
  {%- set day_text = '' -%}
  {%- set first_values = [] -%}
  {%- set names = [] -%}
{%- endif -%}
select
  '{{ ns.msg | trim }}' as block_msg,
  {{ a }} * {{ b }} as product,
  '{{ trimmed }}' as trimmed,
  '{{ none }}' as printed_none,
  '{{ 1 if false }}' as no_else,
  {{ first_values | length }} as empty_rows,
  '{{ names | join(",") }}' as empty_columns,
  '{{ target.database }}' as target_database,
  '{{ should_store_failures() }}' as stores_failures,
  '{{ day_text }}' as day_text,
  cast({{ dbt.dateadd('day', 2, "'2024-01-30'") }} as date) as plus_two
