-- Seed 003's PII guidance, checked on what the warehouse holds: no text column of a gold or activation table
-- carries a clear e-mail address or a phone number (a value that is a North American number in any of
-- the sources' formats), unless this target may see clear values. The tables are every model and snapshot of
-- those schemas in the project's graph, and their text columns come from the warehouse (adapter calls, which every
-- warehouse answers; Spark has no information_schema), so new tables are covered without listing them.
-- depends_on: {{ ref('customer_scores') }} {{ ref('vip_early_access') }} {{ ref('winback_at_risk_high_value') }} {{ ref('lookalike_acquisition') }}
{%- set found = [] %}
{%- if execute and not pii_clear() %}
  {%- set schemas = [ref('customer_360_profile').schema, ref('vip_early_access').schema] %}
  {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot'] and node.schema in schemas %}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
    {%- if relation is not none %}
      {#- A DuckDB ENUM (fct_transactions' few-valued text) is text too, though not a string type to dbt. #}
      {%- for column in adapter.get_columns_in_relation(relation) if column.is_string() or (column.data_type | upper).startswith('ENUM(') %}
        {%- do found.append((node.schema, node.alias, column.name, column.is_string())) %}
      {%- endfor %}
    {%- endif %}
  {%- endfor %}
{%- endif %}
{%- if found | length == 0 %}
select 1 as clear_values where 1 = 0
{%- else %}
{%- for schema, table, column, is_string in found %}
select '{{ schema }}.{{ table }}.{{ column }}' as column_with_clear_pii
{%- if is_string %}
from {{ schema }}.{{ table }}
{%- else %}
{#- An ENUM's values are its type's members, stored with the table whether or not a row holds them: checking the
    members covers every row, without turning 13.4M codes back into text (2 s of CPU at 50,000 customers). #}
from (select cast(unnest(enum_range((select {{ adapter.quote(column) }} from {{ schema }}.{{ table }} limit 1))) as varchar)
      as {{ adapter.quote(column) }}) as members
{%- endif %}
where {{ looks_like_email(adapter.quote(column)) }} or {{ looks_like_phone(adapter.quote(column)) }}
{{ 'union all' if not loop.last }}
{%- endfor %}
{%- endif %}
