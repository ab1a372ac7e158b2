{#- Built-in generic tests. Each renders a query returning the failing rows, as dbt's do.
    A project overrides one by defining a {% test %} of the same name. -#}

{% test unique(model, column_name) -%}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- endtest %}

{% test not_null(model, column_name) -%}
select *
from {{ model }}
where {{ column_name }} is null
{%- endtest %}

{% test accepted_values(model, column_name, values, quote=True) -%}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field is not null
  and value_field not in (
    {%- for value in values -%}
    {%- if quote %}'{{ value | string | replace("'", "''") }}'{% else %}{{ value }}{% endif -%}
    {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
  )
{%- endtest %}

{% test relationships(model, column_name, to, field) -%}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select child.from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{%- endtest %}

{#- Checks on ML nodes, run as data tests on their output tables. The metrics table is (model, metric, value)
    as churn_classifier writes it; "chosen" marks the model that scored. -#}

{% test ml_min_auc(model, min_auc) -%}
select m.model, m.value as auc
from {{ model }} m
where m.metric = 'auc'
  and m.model in (select c.model from {{ model }} c where c.metric = 'chosen' and c.value = 1)
  and (m.value is null or m.value < {{ min_auc }})
{%- endtest %}

{% test ml_max_drift(model, max_psi) -%}
select m.model, m.metric as feature, m.value as psi
from {{ model }} m
where substr(m.metric, 1, 4) = 'psi_'
  and m.model in (select c.model from {{ model }} c where c.metric = 'chosen' and c.value = 1)
  and m.value > {{ max_psi }}
{%- endtest %}

{% test ml_min_rows(model, min_rows) -%}
select count(*) as n_rows
from {{ model }}
having count(*) < {{ min_rows }}
{%- endtest %}
