package dev.sluice.ml;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.materialize.Swap;

import java.util.Map;

/**
 * Writes an ML result to the warehouse as a table: built and filled under a temporary name, then swapped
 * in atomically (see {@link Swap}), so readers see either the old table or the complete new one.
 */
public final class TableWriter {
    private final Adapter adapter;
    private final Swap swap;

    public TableWriter(Adapter adapter) {
        this.adapter = adapter;
        this.swap = new Swap(adapter);
    }

    /** @return rows written */
    public long write(Session session, Relation target, ResultTable table) {
        session.execute(adapter.createSchemaSql(target));
        long[] written = new long[1];
        swap.replace(session, target, RelationKind.TABLE, tmp -> {
            session.execute(createSql(tmp, table));
            written[0] = session.load(tmp, table.toCsvTable(), Map.of());
        });
        return written[0];
    }

    String createSql(Relation r, ResultTable table) {
        java.util.List<String> defs = new java.util.ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            defs.add(adapter.quote(table.columns().get(i)) + " " + adapter.typeFor(table.types().get(i)));
        }
        return adapter.createTableColumnsSql(r, defs);
    }
}
