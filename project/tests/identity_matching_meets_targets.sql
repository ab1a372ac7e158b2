-- Fuzzy identity matching is good enough on the hand-labelled records (seeds/identity_labelled_records.csv):
-- pairwise precision at least 0.95 and recall at least 0.9 once records are grouped into people. Fails
-- when the evaluation row is missing too.
select scope, precision, recall
from (select 'unified' as scope) wanted
left join {{ ref('slv_identity_match_quality') }} q using (scope)
where q.precision is null or q.precision < 0.95 or q.recall is null or q.recall < 0.9
