{# Generic data-quality tests used by the retail project's schema files. Each selects failing rows. #}

{% test row_count_between(model, min_rows, max_rows) %}
select count(*) as row_count
from {{ model }}
having count(*) < {{ min_rows }} or count(*) > {{ max_rows }}
{% endtest %}

{% test values_between(model, column_name, min_value, max_value) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{# The share of rows where column_name = value must lie within [min_share, max_share]. #}
{% test share_between(model, column_name, value, min_share, max_share) %}
select share
from (
    select avg(case when {{ column_name }} = '{{ value }}' then 1.0 else 0.0 end) as share
    from {{ model }}
) shares
where share < {{ min_share }} or share > {{ max_share }}
{% endtest %}
