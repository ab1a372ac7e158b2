{# A run log in the warehouse: one row per node and run, written by the project's on-run-end hook. #}

{% macro run_log_relation() -%}
{{ target.schema }}.sluice_run_log
{%- endmacro %}

{% macro create_run_log() -%}
create table if not exists {{ run_log_relation() }} (
    invocation_id {{ type_string() }},
    unique_id {{ type_string() }},
    resource_type {{ type_string() }},
    status {{ type_string() }},
    execution_seconds {{ type_double() }},
    rows_affected bigint,
    logged_at timestamp
)
{%- endmacro %}

{% macro log_run_results(results) -%}
{%- if results | length > 0 -%}
insert into {{ run_log_relation() }}
    (invocation_id, unique_id, resource_type, status, execution_seconds, rows_affected, logged_at)
values
{%- for r in results %}
    ('{{ invocation_id }}', '{{ r.unique_id }}', '{{ r.resource_type }}', '{{ r.status }}', {{ r.execution_time }},
     {{ r.rows_affected if r.rows_affected is not none else 'null' }}, current_timestamp){{ "," if not loop.last }}
{%- endfor %}
{%- endif -%}
{%- endmacro %}
