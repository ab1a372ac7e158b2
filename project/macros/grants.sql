{# Roles the project grants to (project.yml's +grants). On PostgreSQL the on-run-start hook creates the ones
   missing, without login, so that a fresh server can run the sample; a role that exists is left as it is.
   Elsewhere roles are the administrators' business (Snowflake, Databricks) or do not exist (DuckDB, Spark). #}
{% macro grant_roles() -%}
{{ return(['marketing', 'crm_analyst']) }}
{%- endmacro %}

{% macro create_grant_roles() -%}
{%- if target.type == 'postgres' -%}
do $$
declare r text;
begin
    foreach r in array array[{% for role in grant_roles() %}'{{ role }}'{{ ", " if not loop.last }}{% endfor %}] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            begin
                execute format('create role %I nologin', r);
            exception when duplicate_object or unique_violation then
                null; -- another build created it meanwhile
            end;
        end if;
    end loop;
end
$$
{%- endif -%}
{%- endmacro %}
