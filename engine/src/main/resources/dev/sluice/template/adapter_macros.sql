{#-
  dbt's helper macros that materializations and user macros call, written for this engine. Each dispatches
  through adapter.dispatch(name, 'dbt') so a project can override it per warehouse.
-#}

{% macro get_create_table_as_sql(temporary, relation, sql) -%}
  {{- return(adapter.dispatch('get_create_table_as_sql', 'dbt')(temporary, relation, sql)) -}}
{%- endmacro %}
{% macro default__get_create_table_as_sql(temporary, relation, sql) -%}
  {{- return(create_table_as(temporary, relation, sql)) -}}
{%- endmacro %}

{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {{- return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code)) -}}
{%- endmacro %}
{#- Temporary tables live in the session's own schema: their name takes no schema. -#}
{% macro default__create_table_as(temporary, relation, sql) -%}
  create {% if temporary %}temporary {% endif %}table {{ relation.include(database=(not temporary), schema=(not temporary)) }} as (
{{ sql }}
)
{%- endmacro %}
{% macro snowflake__create_table_as(temporary, relation, sql) -%}
  create or replace {% if temporary %}temporary {% endif %}table {{ relation }} as (
{{ sql }}
)
{%- endmacro %}
{% macro spark__create_table_as(temporary, relation, sql) -%}
  {%- if temporary -%}
  create or replace temporary view {{ relation.include(database=false, schema=false) }} as
{{ sql }}
  {%- else -%}
  create table {{ relation }} as
{{ sql }}
  {%- endif -%}
{%- endmacro %}

{% macro get_create_view_as_sql(relation, sql) -%}
  {{- return(adapter.dispatch('get_create_view_as_sql', 'dbt')(relation, sql)) -}}
{%- endmacro %}
{% macro default__get_create_view_as_sql(relation, sql) -%}
  {{- return(create_view_as(relation, sql)) -}}
{%- endmacro %}

{% macro create_view_as(relation, sql) -%}
  {{- return(adapter.dispatch('create_view_as', 'dbt')(relation, sql)) -}}
{%- endmacro %}
{% macro default__create_view_as(relation, sql) -%}
  create view {{ relation }} as (
{{ sql }}
)
{%- endmacro %}
{% macro spark__create_view_as(relation, sql) -%}
  create or replace view {{ relation }} as
{{ sql }}
{%- endmacro %}

{% macro get_create_sql(relation, sql) -%}
  {%- if relation.is_view -%}{{ return(get_create_view_as_sql(relation, sql)) }}{%- endif -%}
  {{- return(get_create_table_as_sql(false, relation, sql)) -}}
{%- endmacro %}

{% macro drop_relation_if_exists(relation) -%}
  {%- if relation is not none -%}{%- do adapter.drop_relation(relation) -%}{%- endif -%}
{%- endmacro %}

{% macro drop_relation(relation) -%}
  {{- return(adapter.dispatch('drop_relation', 'dbt')(relation)) -}}
{%- endmacro %}
{% macro default__drop_relation(relation) -%}
  {%- do adapter.drop_relation(relation) -%}
{%- endmacro %}

{% macro truncate_relation(relation) -%}
  {{- return(adapter.dispatch('truncate_relation', 'dbt')(relation)) -}}
{%- endmacro %}
{% macro default__truncate_relation(relation) -%}
  {%- do adapter.truncate_relation(relation) -%}
{%- endmacro %}

{% macro rename_relation(from_relation, to_relation) -%}
  {%- do adapter.rename_relation(from_relation, to_relation) -%}
{%- endmacro %}

{% macro load_relation(relation) -%}
  {{- return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) -}}
{%- endmacro %}

{% macro load_cached_relation(relation) -%}
  {{- return(load_relation(relation)) -}}
{%- endmacro %}

{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
  {{- return(adapter.dispatch('make_temp_relation', 'dbt')(base_relation, suffix)) -}}
{%- endmacro %}
{% macro default__make_temp_relation(base_relation, suffix) -%}
  {{- return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix})) -}}
{%- endmacro %}

{% macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}
  {{- return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix})) -}}
{%- endmacro %}

{% macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}
  {{- return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix}, type=backup_relation_type)) -}}
{%- endmacro %}

{% macro get_columns_in_relation(relation) -%}
  {{- return(adapter.get_columns_in_relation(relation)) -}}
{%- endmacro %}

{#- Column names of a query, by running it with no rows, as dbt does. -#}
{% macro get_columns_in_query(select_sql) -%}
  {{- return(adapter.dispatch('get_columns_in_query', 'dbt')(select_sql)) -}}
{%- endmacro %}
{% macro default__get_columns_in_query(select_sql) -%}
  {%- set result = run_query('select * from (\n' ~ select_sql ~ '\n) as __dbt_sbq where false limit 0') -%}
  {%- if result is none -%}{{ return([]) }}{%- endif -%}
  {{- return(result.column_names) -}}
{%- endmacro %}

{% macro create_schema(relation) -%}
  {%- do adapter.create_schema(relation) -%}
{%- endmacro %}

{% macro drop_schema(relation) -%}
  {%- do adapter.drop_schema(relation) -%}
{%- endmacro %}

{#- The names quoted by the adapter, comma-separated: the column list custom incremental strategies write. -#}
{% macro get_quoted_csv(column_names) -%}
  {%- set names = [] -%}
  {%- for name in column_names -%}{%- do names.append(adapter.quote(name)) -%}{%- endfor -%}
  {{- return(names | join(', ')) -}}
{%- endmacro %}

{% macro should_full_refresh() -%}
  {%- set config_full_refresh = config.get('full_refresh') -%}
  {%- if config_full_refresh is none -%}{%- set config_full_refresh = flags.FULL_REFRESH -%}{%- endif -%}
  {{- return(config_full_refresh) -}}
{%- endmacro %}

{#- A test's store_failures config, else the --store-failures flag, as dbt decides it. -#}
{% macro should_store_failures() -%}
  {%- set config_store_failures = config.get('store_failures') -%}
  {%- if config_store_failures is none -%}{%- set config_store_failures = flags.STORE_FAILURES -%}{%- endif -%}
  {{- return(config_store_failures) -}}
{%- endmacro %}

{#-
  {% call statement('name', fetch_result=True) %} select ... {% endcall %}: runs the block's SQL when executing
  and keeps its result for load_result('name'), as dbt's statement does.
-#}
{% macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute -%}
    {%- if language != 'sql' -%}
      {{ exceptions.raise_compiler_error("statement blocks run SQL only, not '" ~ language ~ "'") }}
    {%- endif -%}
    {%- set sql = caller() -%}
    {%- set result = adapter.execute(sql, auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- if name is not none and result is not none -%}
      {{ store_result(name, response=result[0], agate_table=result[1]) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{% macro noop_statement(name=None, message=None, code=None, rows_affected=None, res=None) -%}
  {%- set sql = caller() -%}
  {%- if name is not none -%}
    {{ store_raw_result(name, message=message, code=code, rows_affected=rows_affected, agate_table=res) }}
  {%- endif -%}
{%- endmacro %}

{% macro run_hooks(hooks, inside_transaction=True) -%}
  {%- for hook in hooks -%}
    {%- do run_query(hook.get('sql') if hook is mapping else hook) -%}
  {%- endfor -%}
{%- endmacro %}

{#-
  dbt's naming macros, for templates that call them (codegen does). The engine names relations the same way
  itself; a root project's own generate_schema_name / generate_alias_name / generate_database_name replaces these.
-#}
{% macro generate_schema_name(custom_schema_name=none, node=none) -%}
  {{- return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) -}}
{%- endmacro %}
{% macro default__generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}

{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
  {{- return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) -}}
{%- endmacro %}
{% macro default__generate_alias_name(custom_alias_name=none, node=none) -%}
  {%- if custom_alias_name -%}{{ custom_alias_name | trim }}{%- else -%}{{ node.name }}{%- endif -%}
{%- endmacro %}

{% macro generate_database_name(custom_database_name=none, node=none) -%}
  {{- return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) -}}
{%- endmacro %}
{% macro default__generate_database_name(custom_database_name=none, node=none) -%}
  {%- if custom_database_name is none -%}{{ target.database }}{%- else -%}{{ custom_database_name | trim }}{%- endif -%}
{%- endmacro %}

{#-
  alter_column_type(relation, column_name, new_column_type): PostgreSQL and DuckDB change the type in place;
  elsewhere a column of the new type is added, filled from the old one, and takes its place, as dbt's default does.
  DDL names relation.render(): in an --empty run a ref prints as a zero-row subquery, render() as the table.
-#}
{% macro alter_column_type(relation, column_name, new_column_type) -%}
  {{- return(adapter.dispatch('alter_column_type', 'dbt')(relation, column_name, new_column_type)) -}}
{%- endmacro %}

{% macro default__alter_column_type(relation, column_name, new_column_type) -%}
  {%- set old = adapter.quote(column_name) -%}
  {%- set tmp = adapter.quote(column_name ~ '__dbt_alter') -%}
  {%- for sql in ['alter table ' ~ relation.render() ~ ' add column ' ~ tmp ~ ' ' ~ new_column_type,
                  'update ' ~ relation.render() ~ ' set ' ~ tmp ~ ' = ' ~ old,
                  'alter table ' ~ relation.render() ~ ' drop column ' ~ old ~ ' cascade',
                  'alter table ' ~ relation.render() ~ ' rename column ' ~ tmp ~ ' to ' ~ old] -%}
    {%- call statement('alter_column_type') -%}{{ sql }}{%- endcall -%}
  {%- endfor -%}
{%- endmacro %}

{% macro postgres__alter_column_type(relation, column_name, new_column_type) -%}
  {%- call statement('alter_column_type') -%}
    alter table {{ relation.render() }} alter column {{ adapter.quote(column_name) }} type {{ new_column_type }}
      using {{ adapter.quote(column_name) }}::{{ new_column_type }}
  {%- endcall -%}
{%- endmacro %}

{% macro duckdb__alter_column_type(relation, column_name, new_column_type) -%}
  {%- call statement('alter_column_type') -%}
    alter table {{ relation.render() }} alter column {{ adapter.quote(column_name) }} type {{ new_column_type }}
  {%- endcall -%}
{%- endmacro %}

{#-
  alter_relation_add_remove_columns(relation, add_columns, remove_columns): columns (objects with name and
  data_type, as get_columns_in_relation gives) added and dropped, one statement each, which every warehouse takes.
-#}
{% macro alter_relation_add_remove_columns(relation, add_columns=none, remove_columns=none) -%}
  {{- return(adapter.dispatch('alter_relation_add_remove_columns', 'dbt')(relation, add_columns, remove_columns)) -}}
{%- endmacro %}

{% macro default__alter_relation_add_remove_columns(relation, add_columns, remove_columns) -%}
  {%- for column in (add_columns or []) -%}
    {%- call statement('alter_relation_add_remove_columns') -%}
      alter {{ relation.type or 'table' }} {{ relation.render() }} add column {{ adapter.quote(column.name) }} {{ column.data_type }}
    {%- endcall -%}
  {%- endfor -%}
  {%- for column in (remove_columns or []) -%}
    {%- call statement('alter_relation_add_remove_columns') -%}
      alter {{ relation.type or 'table' }} {{ relation.render() }} drop column {{ adapter.quote(column.name) }}
    {%- endcall -%}
  {%- endfor -%}
{%- endmacro %}
