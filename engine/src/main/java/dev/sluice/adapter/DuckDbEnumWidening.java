package dev.sluice.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB ENUM columns of an incremental table, widened when the model's new rows come with a wider ENUM: a
 * DuckDB table keeps the ENUM of its first build, and a merge or insert of a value that ENUM lacks fails (DuckDB
 * casts ENUM to ENUM by value). The widening is an ALTER in the same transaction as the merge, so a failed merge
 * leaves the table's type as well as its rows as they were. Only a true widening is applied: every value of the
 * table's ENUM must be in the incoming one, in the same order, so no stored value and no comparison between
 * stored values changes. The model decides the order of the new values (the retail project keeps text order).
 */
final class DuckDbEnumWidening {
    private DuckDbEnumWidening() {
    }

    /** The ALTER for a column of {@code target} whose incoming ENUM in {@code staging} widens it, if any. */
    static Optional<String> alter(Session s, Adapter adapter, Relation target, Relation staging, ColumnInfo have, ColumnInfo come) {
        if (!isEnum(have) || !isEnum(come) || have.dataType().equals(come.dataType())) {
            return Optional.empty();
        }
        List<String> old = values(s, adapter, target, have.name());
        List<String> wider = values(s, adapter, staging, come.name());
        if (wider.size() <= old.size() || !inOrder(old, wider)) return Optional.empty();
        List<String> literals = new ArrayList<>(wider.size());
        for (String v : wider) literals.add(adapter.stringLiteral(v));
        return Optional.of("alter table " + adapter.render(target) + " alter column " + adapter.quote(have.name())
                + " type enum(" + String.join(", ", literals) + ")");
    }

    private static boolean isEnum(ColumnInfo c) {
        return c.dataType() != null && c.dataType().toUpperCase(Locale.ROOT).startsWith("ENUM(");
    }

    /**
     * The ENUM's values in its order, read from DuckDB rather than parsed from the type's text. enum_range looks at
     * the type only: the scalar subquery gives a typed null when the table is empty.
     */
    private static List<String> values(Session s, Adapter adapter, Relation r, String column) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : s.query("select cast(unnest(enum_range((select " + adapter.quote(column) + " from "
                + adapter.render(r) + " limit 1))) as varchar) as v")) {
            out.add(String.valueOf(row.values().iterator().next()));
        }
        return out;
    }

    /** Whether every value of {@code old} is in {@code wider}, in the same relative order. */
    static boolean inOrder(List<String> old, List<String> wider) {
        int from = 0;
        for (String v : old) {
            int at = wider.subList(from, wider.size()).indexOf(v);
            if (at < 0) return false;
            from += at + 1;
        }
        return true;
    }
}
