package dev.sluice.activation;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.seed.ColumnType;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an incremental export's destination currently has, kept in the warehouse as a table
 * (id, payload_hash, exported_at). It is changed only after the destination acknowledged a change, and each
 * acknowledged batch in one transaction, so the table never claims more than was delivered.
 */
public final class ExportState {
    /** Rows per INSERT statement, to keep statements a reasonable size. */
    private static final int ROWS_PER_STATEMENT = 1_000;
    private final Adapter adapter;
    private final Session session;
    private final Relation table;

    public ExportState(Adapter adapter, Session session, Relation table) {
        this.adapter = adapter;
        this.session = session;
        this.table = table;
    }

    public Relation table() {
        return table;
    }

    /** Creates the table on the first run. */
    public void ensureExists() {
        if (session.relationKind(table).isPresent()) return;
        session.execute(adapter.createSchemaSql(table));
        // The adapter's own form: on Spark it makes a Delta table, which the delete in apply() needs.
        session.execute(adapter.createTableColumnsSql(table, List.of(
                adapter.quote("id") + " " + adapter.typeFor(ColumnType.TEXT) + " not null",
                adapter.quote("payload_hash") + " " + adapter.typeFor(ColumnType.TEXT) + " not null",
                adapter.quote("exported_at") + " " + adapter.typeFor(ColumnType.TIMESTAMP) + " not null")));
    }

    /** id to payload_hash; empty when the table does not exist yet. */
    public Map<String, String> load() {
        Map<String, String> out = new HashMap<>();
        if (session.relationKind(table).isEmpty()) return out;
        for (Map<String, Object> r : session.query("select " + adapter.quote("id") + " as id, "
                + adapter.quote("payload_hash") + " as payload_hash from " + adapter.render(table))) {
            out.put(String.valueOf(r.get("id")), String.valueOf(r.get("payload_hash")));
        }
        return out;
    }

    /** Records that the destination now has these changes, all in one transaction. */
    public void apply(List<Change> changes, Instant at) {
        if (changes.isEmpty()) return;
        String ts = "timestamp '" + LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC)
                .toString().replace('T', ' ') + "'";
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < changes.size(); i += ROWS_PER_STATEMENT) {
            List<Change> part = changes.subList(i, Math.min(changes.size(), i + ROWS_PER_STATEMENT));
            StringBuilder ids = new StringBuilder();
            for (Change c : part) ids.append(ids.length() == 0 ? "" : ", ").append(literal(c.id()));
            statements.add("delete from " + adapter.render(table) + " where " + adapter.quote("id") + " in (" + ids + ")");
            StringBuilder values = new StringBuilder();
            for (Change c : part) {
                if (c.action().equals(Change.REMOVE)) continue;
                values.append(values.length() == 0 ? "" : ", ").append('(').append(literal(c.id())).append(", ")
                        .append(literal(c.payloadHash())).append(", ").append(ts).append(')');
            }
            if (values.length() > 0) {
                statements.add("insert into " + adapter.render(table) + " (" + adapter.quote("id") + ", "
                        + adapter.quote("payload_hash") + ", " + adapter.quote("exported_at") + ") values " + values);
            }
        }
        session.transaction(statements);
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
