package dev.sluice.generate;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.materialize.Swap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw zone as seed 003 asks for it: append-only and immutable. Each generated batch lands once, its rows
 * tagged with a {@code batch_id} column, and is recorded in a ledger table ({@code raw_batches}: batch, spec,
 * rows per table, the run's start and the load time). Landing a batch the ledger already holds changes nothing; a new batch is
 * appended to the raw tables beside the earlier ones, which are never updated or deleted. Readers pick a batch by
 * its id (the sample's bronze views read the batch its vars describe).
 *
 * <p>Rows of a batch that is in a raw table but not in the ledger are what a landing killed half-way left; they
 * are removed before the batch lands again, so a recorded batch is never touched.
 */
final class RawZone {
    static final String LEDGER_TABLE = "raw_batches";
    static final String BATCH_COLUMN = "batch_id";

    private final Adapter adapter;
    private final Session session;
    private final Relation ledger;

    RawZone(Adapter adapter, Session session, Relation ledger) {
        this.adapter = adapter;
        this.session = session;
        this.ledger = ledger;
    }

    /** The batch a spec describes, readable and the same for equal specs: "c2000-m18-s42-e2025-06-30". */
    static String batchId(RetailSpec spec) {
        return "c" + spec.customers() + "-m" + spec.months() + "-s" + spec.seed() + "-e" + spec.endDate();
    }

    /** Whether the batch is recorded and every raw table still exists. */
    boolean holds(String batch, List<Relation> tables) {
        if (session.relationKind(ledger).isEmpty()) return false;
        for (Relation t : tables) if (session.relationKind(t).isEmpty()) return false;
        Object n = session.query("select count(*) as n from " + adapter.render(ledger) + " where " + BATCH_COLUMN
                + " = " + adapter.stringLiteral(batch)).get(0).values().iterator().next();
        return ((Number) n).longValue() > 0;
    }

    /**
     * Adds the loaded rows (at {@code loaded}, a table of this run's) to {@code target} as rows of {@code batch},
     * creating the target on the first batch; drops {@code loaded}. {@code tagged}: the loaded table already has the
     * batch column, last, holding {@code batch} on every row (the loader wrote it with the rows).
     */
    void land(String batch, Relation loaded, Relation target, boolean tagged) {
        if (tagged) {
            landTagged(batch, loaded, target);
            return;
        }
        String batchValue = "cast(" + adapter.stringLiteral(batch) + " as " + adapter.stringType() + ")";
        String select = "select l.*, " + batchValue + " as " + adapter.quote(BATCH_COLUMN) + " from " + adapter.render(loaded) + " l";
        Optional<RelationKind> existing = session.relationKind(target);
        Optional<List<String>> addBatchColumn = adapter.addConstantColumnSql(loaded, BATCH_COLUMN, adapter.stringType(), batchValue);
        if (existing.isEmpty() && addBatchColumn.isPresent()) {
            // The first batch becomes the table itself: a copy of every row (6 s of the 50,000-customer build's
            // generator on DuckDB) only to add one constant column is avoided. One transaction, so a failure
            // leaves the loaded table as it was, and no target.
            List<String> statements = new ArrayList<>(addBatchColumn.get());
            statements.add(adapter.renameSql(loaded, RelationKind.TABLE, target.identifier()));
            session.transaction(statements);
            return;
        }
        if (existing.isEmpty()) {
            Swap swap = new Swap(adapter);
            swap.replaceWith(session, target, RelationKind.TABLE, select);
        } else {
            requireBatchColumn(target);
            session.transaction(List.of(
                    "delete from " + adapter.render(target) + " where " + BATCH_COLUMN + " = " + adapter.stringLiteral(batch),
                    "insert into " + adapter.render(target) + " " + select));
        }
        session.execute(adapter.dropSql(loaded, RelationKind.TABLE));
    }

    private void landTagged(String batch, Relation loaded, Relation target) {
        if (session.relationKind(target).isEmpty()) {
            // The first batch becomes the table itself.
            session.execute(adapter.renameSql(loaded, RelationKind.TABLE, target.identifier()));
            return;
        }
        requireBatchColumn(target);
        session.transaction(List.of(
                "delete from " + adapter.render(target) + " where " + BATCH_COLUMN + " = " + adapter.stringLiteral(batch),
                "insert into " + adapter.render(target) + " select * from " + adapter.render(loaded)));
        session.execute(adapter.dropSql(loaded, RelationKind.TABLE));
    }

    private void requireBatchColumn(Relation target) {
        List<Map<String, Object>> sample = session.query("select * from " + adapter.render(target) + " limit 1");
        if (!sample.isEmpty() && sample.get(0).keySet().stream().noneMatch(c -> c.equalsIgnoreCase(BATCH_COLUMN))) {
            throw new dev.sluice.error.ConfigException(adapter.render(target) + " exists without a " + BATCH_COLUMN
                    + " column (loaded before the raw zone was append-only): drop it once, or load into another schema");
        }
    }

    /** Records the batch once all its tables have landed. */
    void record(String batch, RetailSpec spec, Map<String, Long> rows, Instant runStartedAt, Instant loadedAt) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put(BATCH_COLUMN, adapter.stringType());
        cols.put("customers", "bigint");
        cols.put("months", "integer");
        cols.put("seed", "bigint");
        cols.put("end_date", "date");
        cols.put("table_name", adapter.stringType());
        cols.put("row_count", "bigint");
        cols.put("run_started_at", adapter.timestampType());
        cols.put("loaded_at", adapter.timestampType());
        if (session.relationKind(ledger).isEmpty()) {
            List<String> defs = new ArrayList<>();
            cols.forEach((c, t) -> defs.add(adapter.quote(c) + " " + t));
            session.execute("create table " + adapter.render(ledger) + " (" + String.join(", ", defs) + ")");
        }
        List<String> values = new ArrayList<>();
        String at = timestamp(loadedAt);
        String started = timestamp(runStartedAt);
        rows.forEach((table, n) -> values.add("(" + adapter.stringLiteral(batch) + ", " + spec.customers() + ", "
                + spec.months() + ", " + spec.seed() + ", cast(" + adapter.stringLiteral(spec.endDate().toString())
                + " as date), " + adapter.stringLiteral(table) + ", " + n + ", " + started + ", " + at + ")"));
        session.execute("insert into " + adapter.render(ledger) + " (" + String.join(", ", cols.keySet().stream()
                .map(adapter::quote).toList()) + ") values " + String.join(", ", values));
    }

    private String timestamp(Instant t) {
        return "cast(" + adapter.stringLiteral(java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC).toString()
                .replace('T', ' ')) + " as " + adapter.timestampType() + ")";
    }
}
