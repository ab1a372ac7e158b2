package dev.sluice.activation;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.operator.OperatorContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of exports, one row per export run, kept in the target's own schema
 * ({@code <target schema>.sluice_activation_log}) beside the job runs, so the campaigns page shows every
 * delivery whoever ran the build. Rows are only appended. The state tables say what a destination has now; this
 * says what was sent when, and what failed.
 *
 * <p>Columns: operator, kind (file, webhook), destination (the file's path in the project, or the webhook's host
 * only: paths and queries of webhook urls often carry tokens), run_started_at (the build's start, shared by
 * its exports), logged_at, status (success, failure), audience (rows the export query returned), adds,
 * updates, removes (null for an export that sends every row), message (the outcome, or the error).
 */
public final class ActivationLog {
    public static final String TABLE = "sluice_activation_log";
    private static final List<String> COLUMNS = List.of("operator", "kind", "destination", "run_started_at", "logged_at",
            "status", "audience", "adds", "updates", "removes", "message");

    /** What one export run did. counts is null when the export sends every row (not incremental) or failed before diffing. */
    public record Entry(String kind, String destination, String status, long audience, Counts counts, String message) {
    }

    /** Changes of an incremental export. */
    public record Counts(long adds, long updates, long removes) {
        static Counts of(List<Change> changes) {
            return new Counts(count(changes, Change.ADD), count(changes, Change.UPDATE), count(changes, Change.REMOVE));
        }

        private static long count(List<Change> changes, String action) {
            return changes.stream().filter(c -> c.action().equals(action)).count();
        }
    }

    private final Adapter adapter;
    private final Relation table;

    public ActivationLog(Adapter adapter, String schema) {
        this.adapter = adapter;
        this.table = new Relation(null, schema, TABLE);
    }

    public Relation table() {
        return table;
    }

    /** Appends an export's row, creating the table on the first export. */
    public static void record(OperatorContext ctx, Entry e) {
        ActivationLog log = new ActivationLog(ctx.adapter(), ctx.engineSchema());
        log.ensure(ctx.session());
        log.append(ctx.session(), ctx.node().name(), ctx.runStartedAt(), Instant.now(), e);
    }

    public void ensure(Session s) {
        if (s.relationKind(table).isPresent()) return;
        List<String> defs = new ArrayList<>();
        for (String c : COLUMNS) {
            String type = c.endsWith("_at") ? adapter.timestampType()
                    : List.of("audience", "adds", "updates", "removes").contains(c) ? "bigint" : adapter.stringType();
            defs.add(adapter.quote(c) + " " + type);
        }
        // Exports of one run run in parallel; one creates the table while the others wait. Catching the loser's
        // error instead did not do on Delta, whose losing create fails before the winner's table is visible.
        // Other processes cannot race here: the run lock keeps one run per target.
        synchronized (CREATING) {
            // Asked of the warehouse itself: the run's relation cache may not have seen another export's create.
            if (s.raw().relationKind(table).isPresent()) return;
            s.execute(adapter.createSchemaSql(table));
            s.execute(adapter.createTableColumnsSql(table, defs));
        }
    }

    /** Held while the log table is created (a monitor only; it guards no data). */
    private static final Object CREATING = new Object();

    void append(Session s, String operator, Instant runStartedAt, Instant at, Entry e) {
        Counts c = e.counts();
        List<String> values = List.of(lit(operator), lit(e.kind()), lit(e.destination()), adapter.timestampLiteral(runStartedAt),
                adapter.timestampLiteral(at), lit(e.status()), Long.toString(e.audience()), n(c == null ? null : c.adds()),
                n(c == null ? null : c.updates()), n(c == null ? null : c.removes()), lit(e.message()));
        s.execute("insert into " + adapter.render(table) + " (" + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                + ") values (" + String.join(", ", values) + ")");
    }

    private String lit(String v) {
        return adapter.stringLiteral(v == null ? "" : v);
    }

    private static String n(Long v) {
        return v == null ? "cast(null as bigint)" : Long.toString(v);
    }
}
