select
  case when abs({{ datediff(dbt.current_timestamp(), 'now_ts', 'second') }}) < 60 then 1 else 0 end as actual,
  1 as expected
from (select {{ dbt.current_timestamp() }} as now_ts) t
