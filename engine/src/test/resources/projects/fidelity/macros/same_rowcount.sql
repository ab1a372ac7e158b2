{#- One row always; the failures are the difference in row counts, summed by fail_calc (as dbt_utils' equal_rowcount). -#}
{% test same_rowcount(model, compare_model) %}
  {{ config(fail_calc = 'sum(coalesce(diff, 0))') }}
  select abs((select count(*) from {{ model }}) - (select count(*) from {{ compare_model }})) as diff
{% endtest %}
