package dev.sluice.ml;

import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rows an ML step produces, with a logical type per column so they can be written to any warehouse.
 * Values are Long, Double, String, Boolean or null.
 */
public record ResultTable(List<String> columns, List<ColumnType> types, List<List<Object>> rows) {

    public ResultTable {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        if (columns.size() != types.size()) throw new IllegalArgumentException("one type per column");
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            if (r.size() != columns.size()) throw new IllegalArgumentException("row width " + r.size() + " != " + columns.size());
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    public int size() {
        return rows.size();
    }

    public Object get(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) throw new IllegalArgumentException("no column " + column + " in " + columns);
        return rows.get(row).get(c);
    }

    /** The shape Session.load takes. */
    public CsvTable toCsvTable() {
        return new CsvTable(columns, types, rows);
    }

    /** BIGINT when every id is a Long, else TEXT. */
    static ColumnType idType(List<Object> ids) {
        for (Object o : ids) if (!(o instanceof Long)) return ColumnType.TEXT;
        return ColumnType.BIGINT;
    }
}
