-- The latest build's layers reconcile: no check of audit_reconciliation is a mismatch, and the checks are there
-- (21 comparisons of seven layer pairs and the merged records: 22 rows); a build whose audit is missing fails too.
with latest as (
    select * from {{ ref('audit_reconciliation') }}
    where audited_at = (select max(audited_at) from {{ ref('audit_reconciliation') }})
)

select check_name, measure, left_value, right_value, status
from latest
where status <> 'match'
union all
select 'audit checks present', 'count', cast(count(*) as {{ audit_numeric() }}), cast(22 as {{ audit_numeric() }}), 'missing'
from latest
having count(*) <> 22
