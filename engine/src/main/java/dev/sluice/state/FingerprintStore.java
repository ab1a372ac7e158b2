package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RowValues;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state table: the fingerprint of every node as last built, kept in the warehouse next to what it
 * describes, so any machine building the target knows what is already there.
 *
 * <p>Format (stable; {@code engine plan} reads it): table {@code <target schema>.sluice_state}, one row per node
 * that built successfully, columns {@code node_id} (unique id), {@code fingerprint}, {@code sql_hash},
 * {@code config_hash}, {@code upstream_hash}, {@code data_version} (text; see {@link Fingerprint}),
 * {@code built_at} (timestamp, UTC) and {@code run_id} (the invocation id). A run removes the rows of the nodes it
 * may rebuild before it starts and writes them back in batches as nodes finish (see {@link FingerprintTracker});
 * rows are replaced by delete then insert (no key constraint: DuckDB rejects concurrent upserts through one index)
 * where DDL is transactional, and only appended elsewhere; should two rows of a node ever exist, the later
 * built_at wins. Deleting the table, or a row, only costs a rebuild. A data test has a row while its last run
 * passed: its fingerprint then covers its compiled SQL, its config and the fingerprints of the nodes it reads, and
 * data_version is empty; a test that fails, warns or errors loses its row.
 *
 * <p>Read API: {@link #load} gives the stored fingerprints of a target; {@link Fingerprints} computes the
 * current ones for a compiled manifest; equal fingerprints mean unchanged, a node without a row is new.
 */
public final class FingerprintStore {
    public static final String TABLE = "sluice_state";
    private static final List<String> COLUMNS = List.of("node_id", "fingerprint", "sql_hash", "config_hash",
            "upstream_hash", "data_version", "built_at", "run_id");

    private final Adapter adapter;
    private final Relation table;

    public FingerprintStore(Adapter adapter, Relation table) {
        this.adapter = adapter;
        this.table = table;
    }

    /** The state table of a target: in the target's own schema. */
    public static FingerprintStore forTarget(Adapter adapter, Target target) {
        return new FingerprintStore(adapter, new Relation(null, target.schema(), TABLE));
    }

    public Relation table() {
        return table;
    }

    /**
     * Creates the table (run it when the table is missing; the target's schema must exist). The adapter's own
     * table DDL is used so the table gets the warehouse's table format: on Spark that is Delta, which supports the
     * DELETE a row replacement needs (a plain Spark table does not).
     */
    public String createSql() {
        String text = adapter.stringType();
        List<String> defs = new ArrayList<>();
        for (String c : COLUMNS) {
            defs.add(adapter.quote(c) + " " + (c.equals("built_at") ? adapter.timestampType() : text));
        }
        return adapter.createTableColumnsSql(table, defs);
    }

    /**
     * The stored fingerprint of every node, by unique id; empty when the table does not exist (nothing was
     * built with fingerprints yet, or it was deleted).
     */
    public Map<String, StoredFingerprint> load(Session s) {
        if (s.relationKind(table).isEmpty()) return Map.of();
        List<String> quoted = COLUMNS.stream().map(adapter::quote).toList();
        List<Map<String, Object>> rows = s.query("select " + String.join(", ", quoted) + " from " + adapter.render(table));
        Map<String, StoredFingerprint> out = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            // By position: catalogs fold the labels' case differently.
            Iterator<Object> v = row.values().iterator();
            String id = text(v.next());
            Fingerprint f = new Fingerprint(id, text(v.next()), text(v.next()), text(v.next()), text(v.next()), text(v.next()));
            StoredFingerprint stored = new StoredFingerprint(f, builtAt(v.next()), text(v.next()));
            StoredFingerprint before = out.get(id);
            if (before == null || later(stored, before)) out.put(id, stored);
        }
        // A tombstone (empty fingerprint) as the latest row means the node was forgotten.
        out.values().removeIf(r -> r.fingerprint().fingerprint().isEmpty());
        return out;
    }

    private static boolean later(StoredFingerprint a, StoredFingerprint b) {
        return b.builtAt() == null || (a.builtAt() != null && a.builtAt().isAfter(b.builtAt()));
    }

    /**
     * Statements that record many rows at once (the tests that passed in a run), replacing their previous rows: one
     * delete and one insert per 500 rows instead of two statements per row. Run them in one transaction.
     */
    public List<String> writeAllSql(List<StoredFingerprint> rows) {
        List<String> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 500) {
            List<StoredFingerprint> chunk = rows.subList(from, Math.min(rows.size(), from + 500));
            // Without transactional DDL (Snowflake, Databricks, Spark) rows are only appended: the latest built_at
            // wins on reading, and appends never conflict, where a delete beside another insert can (Delta).
            if (adapter.transactionalDdl()) {
                out.add("delete from " + adapter.render(table) + " where " + adapter.quote("node_id") + " in ("
                        + String.join(", ", chunk.stream().map(r -> adapter.stringLiteral(r.fingerprint().nodeId())).toList()) + ")");
            }
            List<String> tuples = new ArrayList<>();
            for (StoredFingerprint r : chunk) {
                Fingerprint f = r.fingerprint();
                List<String> values = new ArrayList<>();
                for (String v : List.of(f.nodeId(), f.fingerprint(), f.sqlHash(), f.configHash(), f.upstreamHash(), f.dataVersion())) {
                    values.add(adapter.stringLiteral(v));
                }
                values.add(adapter.timestampLiteral(r.builtAt()));
                values.add(adapter.stringLiteral(r.runId()));
                tuples.add("(" + String.join(", ", values) + ")");
            }
            out.add("insert into " + adapter.render(table) + " (" + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                    + ") values " + String.join(", ", tuples));
        }
        return out;
    }

    /** Whether a row is replaced (deleted, then inserted); otherwise rows are only appended and the latest wins. */
    public boolean replacesRows() {
        return adapter.transactionalDdl();
    }

    /**
     * Statements that remove many nodes' rows at once (one statement per 500 nodes), as {@link #forgetSql(String)}
     * does for one; run them in one transaction.
     */
    public List<String> forgetAllSql(List<String> nodeIds) {
        List<String> out = new ArrayList<>();
        String now = adapter.timestampLiteral(Instant.now());
        for (int from = 0; from < nodeIds.size(); from += 500) {
            List<String> literals = nodeIds.subList(from, Math.min(nodeIds.size(), from + 500)).stream()
                    .map(adapter::stringLiteral).toList();
            if (adapter.transactionalDdl()) {
                out.add("delete from " + adapter.render(table) + " where " + adapter.quote("node_id") + " in ("
                        + String.join(", ", literals) + ")");
            } else {
                String empty = adapter.stringLiteral("");
                List<String> tuples = new ArrayList<>();
                for (String id : literals) {
                    tuples.add("(" + id + ", " + String.join(", ", java.util.Collections.nCopies(5, empty)) + ", " + now
                            + ", " + empty + ")");
                }
                out.add("insert into " + adapter.render(table) + " (" + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                        + ") values " + String.join(", ", tuples));
            }
        }
        return out;
    }

    /**
     * Removes a node's row, so its next build cannot be skipped; where rows are only appended, a later row with
     * an empty fingerprint (which matches nothing) does the same.
     */
    public List<String> forgetSql(String nodeId) {
        if (!adapter.transactionalDdl()) return List.of(tombstoneSql(nodeId));
        return List.of("delete from " + adapter.render(table) + " where " + adapter.quote("node_id") + " = "
                + adapter.stringLiteral(nodeId));
    }

    /** Removes the node's row if the given run wrote it (appending a tombstone either way where rows are only appended). */
    public String forgetSql(String nodeId, String runId) {
        if (!adapter.transactionalDdl()) return tombstoneSql(nodeId);
        return forgetSql(nodeId).get(0) + " and " + adapter.quote("run_id") + " = " + adapter.stringLiteral(runId);
    }

    private String tombstoneSql(String nodeId) {
        List<String> values = new ArrayList<>();
        values.add(adapter.stringLiteral(nodeId));
        for (int i = 0; i < 5; i++) values.add(adapter.stringLiteral(""));
        return insertSql(values, Instant.now(), "");
    }

    /** One row: the six text columns given, then built_at and run_id. */
    private String insertSql(List<String> textValues, Instant builtAt, String runId) {
        List<String> values = new ArrayList<>(textValues);
        values.add(adapter.timestampLiteral(builtAt));
        values.add(adapter.stringLiteral(runId));
        return "insert into " + adapter.render(table) + " (" + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                + ") values (" + String.join(", ", values) + ")";
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static Instant builtAt(Object o) {
        try {
            return RowValues.utcInstant(o);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // informational only: an unreadable stamp does not make the row unusable
        }
    }
}
