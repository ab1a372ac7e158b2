package dev.sluice.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DuckDB/PostgreSQL constructs compiled dbt models typically contain must parse. */
class SqlDialectParsingTest {

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private SqlAnalysis analyze(String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, t -> Optional.empty());
        assertTrue(analysis.parsed(), () -> sql + " -> " + analysis.syntaxError().orElseThrow());
        return analysis;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "with a as (select id from t), b as (select id from a) select id from b",
            "select a.id from a join b using (id) left join c on c.id = a.id right join d on d.id = a.id "
                    + "full outer join e on e.id = a.id cross join f inner join g on true left outer join h using (id)",
            "select a.id from a natural join b",
            "select id, row_number() over (partition by g order by ts desc "
                    + "rows between unbounded preceding and current row) as rn from t",
            "select sum(x) over (partition by g order by ts rows between 6 preceding and current row) as s from t",
            "select id from t qualify row_number() over (partition by g order by ts) = 1",
            "select x::date as d, '2024-01-01'::timestamp as ts, y::varchar(10), z::numeric(10, 2) from t",
            "select cast(x as varchar) as v, cast(y as double) as d, cast(z as timestamp) as ts from t",
            "select d + interval '90 days' as later from t",
            "select d - interval '1 month', d + interval '2 hours' from t where d > current_date - interval '7 day'",
            "select d + interval 90 day as later from t",
            "select date_trunc('month', d) as m, extract(year from d) as y from t",
            "select count(*) filter (where status = 'paid') as paid from t",
            "select case when a > 0 then 'pos' when a < 0 then 'neg' else 'zero' end as sign, coalesce(a, b, 0) as c from t",
            "select name from t where name ilike '%smith%'",
            "select first_name || ' ' || last_name as full_name from t",
            "select string_agg(x, ',') as xs from t",
            "select a, b, count(*) as n from t group by 1, 2",
            "select a from t order by a desc nulls last, b asc nulls first limit 10",
            "select a from t union all select a from u",
            "select a from t union select a from u except select a from v",
            "select distinct a, b from t",
            "select current_date as today",
            "select current_date as today, current_timestamp as now from t",
            "SELECT ID FROM T WHERE X IS NOT NULL",
            "select \"Order Id\", \"select\" from \"My Schema\".\"Orders\"",
            "select a from t;",
            "select a from t ;\n\n",
            "select a from t; -- done",
            "-- leading comment\nselect a /* inline */ from t -- trailing comment",
            "/* block\n comment */ select a from t /* end */",
            "select a from t where a in (select b from u) and not exists (select 1 from v where v.x = t.x)",
            "select count(distinct user_id) as users from t",
            "select a from t limit 10 offset 20",
            "select date_trunc('month', d)::date as month from t",
            "select percentile_cont(0.5) within group (order by x) as median from t",
            "select lag(a, 1) over (partition by g order by ts) as prev from t",
            "select a from t where b is distinct from c",
            "select a from t where d between '2024-01-01'::date and current_date",
            "select date, timestamp, time from t",
            "select t.date, t.value from t where t.date >= date '2024-01-01'",
            "select cast(created_at as date) as date from t",
            "select x::timestamp with time zone as ts from t",
            "select nullif(a, 0) as n, greatest(a, b) as g, round(a, 2) as r from t",
            "with recursive r(n) as (select 1 union all select n + 1 from r where n < 10) select n from r",
    })
    void parses(String sql) {
        analyze(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select d + interval '90 days' as later from t", "select d + interval 90 day as later from t"})
    void intervalsKeepLineage(String sql) {
        SqlAnalysis a = analyze(sql);
        assertEquals(List.of("later"), a.columns());
        assertEquals(java.util.Set.of(new ColumnSource(new TableName(List.of("t")), "d")), a.lineage().get("later"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"select date from t", "select t.date from t"})
    void keywordNamedColumnsAreColumns(String sql) {
        SqlAnalysis a = analyze(sql);
        assertEquals(List.of("date"), a.columns());
        assertEquals(java.util.Set.of(new ColumnSource(new TableName(List.of("t")), "date")), a.lineage().get("date"));
    }
}
