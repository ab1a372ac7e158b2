{#- As jaffle-shop does: seeds land in exactly their custom schema, everything else in the target schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if node.resource_type == 'seed' and custom_schema_name is not none -%}
    {{ custom_schema_name | trim }}
  {%- else -%}
    {{ target.schema }}
  {%- endif -%}
{%- endmacro %}

{#- A custom alias is appended to the model's name instead of replacing it. -#}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
  {%- if custom_alias_name is none -%}
    {{ node.name }}
  {%- else -%}
    {{ node.name }}_{{ custom_alias_name | trim }}
  {%- endif -%}
{%- endmacro %}
