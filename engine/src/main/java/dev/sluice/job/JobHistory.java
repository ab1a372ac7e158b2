package dev.sluice.job;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RowValues;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs of jobs, kept in the warehouse beside the state table ({@code <target schema>.sluice_job_runs}) so
 * every scheduler of the target sees the same history, and "only when new data arrived" compares with the last
 * good run whoever ran it. Rows are only appended (every warehouse can do that, with or without transactional
 * DDL): a run writes a "running" row when it starts and its outcome when it ends; the later row wins.
 *
 * <p>Columns: job, run_id, status (running, success, warning, failure, error, skipped), started_at, finished_at
 * (timestamps, UTC), attempts, data_version (the trigger source's version the run saw, or ''), message (the
 * failing node and its error, or why the run was skipped), tags (key=value, comma separated).
 */
public final class JobHistory {
    public static final String TABLE = "sluice_job_runs";
    private static final List<String> COLUMNS = List.of("job", "run_id", "status", "started_at", "finished_at",
            "attempts", "data_version", "message", "tags");

    private final Adapter adapter;
    private final Relation table;

    public JobHistory(Adapter adapter, Target target) {
        this.adapter = adapter;
        this.table = new Relation(null, target.schema(), TABLE);
    }

    /** One row of the history. finishedAt is null while the run goes on. */
    public record Entry(String job, String runId, String status, Instant startedAt, Instant finishedAt, int attempts,
                        String dataVersion, String message, String tags) {
    }

    public Relation table() {
        return table;
    }

    /** Creates the schema and the table when missing. */
    public void ensure(Session s) {
        if (s.relationKind(table).isPresent()) return;
        s.execute(adapter.createSchemaSql(table));
        List<String> defs = new ArrayList<>();
        for (String c : COLUMNS) {
            String type = c.endsWith("_at") ? adapter.timestampType() : c.equals("attempts") ? "integer" : adapter.stringType();
            defs.add(adapter.quote(c) + " " + type);
        }
        s.execute(adapter.createTableColumnsSql(table, defs));
    }

    public void append(Session s, Entry e) {
        List<String> values = List.of(lit(e.job()), lit(e.runId()), lit(e.status()), stamp(e.startedAt()), stamp(e.finishedAt()),
                Integer.toString(e.attempts()), lit(e.dataVersion()), lit(e.message()), lit(e.tags()));
        s.execute("insert into " + adapter.render(table) + " (" + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                + ") values (" + String.join(", ", values) + ")");
    }

    /** Every run of a job (or of all jobs when job is null), newest first, one entry per run (its latest row). */
    public List<Entry> runs(Session s, String job) {
        if (s.relationKind(table).isEmpty()) return List.of();
        String where = job == null ? "" : " where " + adapter.quote("job") + " = " + lit(job);
        List<Entry> all = new ArrayList<>();
        for (Map<String, Object> row : s.query("select " + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                + " from " + adapter.render(table) + where)) {
            Iterator<Object> v = row.values().iterator(); // by position: catalogs fold labels differently
            all.add(new Entry(text(v.next()), text(v.next()), text(v.next()), RowValues.utcInstant(v.next()),
                    RowValues.utcInstant(v.next()), ((Number) v.next()).intValue(), text(v.next()), text(v.next()), text(v.next())));
        }
        Map<String, Entry> latest = new java.util.LinkedHashMap<>();
        for (Entry e : all) {
            Entry before = latest.get(e.runId());
            if (before == null || rank(e) > rank(before)) latest.put(e.runId(), e);
        }
        List<Entry> out = new ArrayList<>(latest.values());
        out.sort(java.util.Comparator.comparing(Entry::startedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return out;
    }

    /** The data version seen by the job's latest successful (or warning) run. */
    public Optional<String> lastGoodDataVersion(Session s, String job) {
        return runs(s, job).stream().filter(e -> e.status().equals("success") || e.status().equals("warning"))
                .findFirst().map(Entry::dataVersion);
    }

    /** A finished row beats the running row of the same run. */
    private static int rank(Entry e) {
        return e.finishedAt() == null ? 0 : 1;
    }

    private String lit(String v) {
        return adapter.stringLiteral(v == null ? "" : v);
    }

    private String stamp(Instant t) {
        return t == null ? "null" : adapter.timestampLiteral(t); // a running row has no finish yet
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
