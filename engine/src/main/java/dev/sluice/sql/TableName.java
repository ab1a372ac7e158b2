package dev.sluice.sql;

import java.util.List;

/** A possibly qualified table name as written in SQL, identifiers unquoted: [db, schema, table]. */
public record TableName(List<String> parts) {
    public TableName {
        parts = List.copyOf(parts);
    }

    public String table() {
        return parts.get(parts.size() - 1);
    }

    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
