-- Seed 003's PII guidance, checked on what the warehouse holds: no text column of a gold or activation table
-- carries a clear e-mail address or a phone number (a value that is a North American number in any of
-- the sources' formats), unless this target may see clear values. Columns come from the catalog, so new tables are
-- covered without listing them.
-- depends_on: {{ ref('customer_scores') }} {{ ref('vip_early_access') }} {{ ref('winback_at_risk_high_value') }} {{ ref('lookalike_acquisition') }}
{%- set found = [] %}
{%- if execute and not pii_clear() %}
  {%- for schema in [ref('customer_360_profile').schema, ref('vip_early_access').schema] %}
    {%- set cols = run_query("select table_name, column_name from information_schema.columns where table_schema = '" ~ schema ~ "' and data_type in ('VARCHAR', 'character varying', 'text', 'string', 'STRING') order by 1, 2") %}
    {%- for row in cols.rows %}
      {%- do found.append((schema, row[0], row[1])) %}
    {%- endfor %}
  {%- endfor %}
{%- endif %}
{%- if found | length == 0 %}
select 1 as clear_values where 1 = 0
{%- else %}
{%- for schema, table, column in found %}
select '{{ schema }}.{{ table }}.{{ column }}' as column_with_clear_pii
from {{ schema }}.{{ table }}
where {{ looks_like_email(adapter.quote(column)) }} or {{ looks_like_phone(adapter.quote(column)) }}
{{ 'union all' if not loop.last }}
{%- endfor %}
{%- endif %}
