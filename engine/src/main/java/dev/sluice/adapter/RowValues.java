package dev.sluice.adapter;

import java.util.Map;

/** Reading query rows whose column names a warehouse may report in any case (SHOW output). */
public final class RowValues {
    private RowValues() {
    }

    /** The value of the column named so, ignoring case; null when there is none. */
    public static Object get(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v != null) return v;
        for (Map.Entry<String, Object> e : row.entrySet()) if (e.getKey().equalsIgnoreCase(column)) return e.getValue();
        return null;
    }
}
