package dev.sluice.compile;

import dev.sluice.template.JinjaObject;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What run_query and load_result give templates, shaped like the agate Table dbt returns: {@code rows}
 * (each indexable by position or column name), {@code columns} (each with {@code name} and
 * {@code values()}), {@code column_names}, and {@code table[i]} for a row.
 */
final class AgateTable extends AbstractList<Object> implements JinjaObject {
    private final List<String> columnNames;
    private final List<Row> rows;

    private AgateTable(List<String> columnNames, List<Row> rows) {
        this.columnNames = columnNames;
        this.rows = rows;
    }

    static AgateTable of(List<String> columns, List<Map<String, Object>> data) {
        List<String> names = List.copyOf(columns);
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> m : data) {
            List<Object> values = new ArrayList<>();
            for (String c : names) values.add(dev.sluice.template.PyValues.fromWarehouse(m.get(c)));
            rows.add(new Row(names, values));
        }
        return new AgateTable(names, List.copyOf(rows));
    }

    /** Rows as lists of values, as dbt's load_result(...)['data'] gives them. */
    List<Object> data() {
        return new ArrayList<>(rows);
    }

    @Override
    public Object get(int index) {
        return rows.get(index);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public Object attribute(String name) {
        return switch (name) {
            case "rows" -> rows;
            case "columns" -> columns();
            case "column_names" -> columnNames;
            case "column_types" -> columnNames.stream().map(c -> (Object) "unknown").toList();
            default -> index(name);
        };
    }

    private Object index(String name) {
        try {
            int k = Integer.parseInt(name);
            return rows.get(k < 0 ? rows.size() + k : k);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return MISSING;
        }
    }

    /** agate's columns: a sequence that is also a mapping by name (columns['id'], columns.items()). */
    private Row columns() {
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < columnNames.size(); k++) out.add(new Column(columnNames.get(k), k, rows));
        return new Row(columnNames, out, "columns");
    }

    @Override
    public Object method(String name, List<Object> args, Map<String, Object> kw) {
        return switch (name) {
            case "print_table" -> "";
            case "where", "select", "order_by" -> MISSING;
            default -> MISSING;
        };
    }

    @Override
    public String jinjaName() {
        return "table";
    }

    /**
     * One row: a list of values that also answers row['column'] and row.column (agate's MappedSequence, which
     * the table's columns are too).
     */
    static final class Row extends AbstractList<Object> implements JinjaObject {
        private final List<String> names;
        private final List<Object> values;
        private final String kind;

        Row(List<String> names, List<Object> values) {
            this(names, values, "row");
        }

        Row(List<String> names, List<Object> values, String kind) {
            this.names = names;
            this.values = values;
            this.kind = kind;
        }

        @Override
        public Object get(int index) {
            return values.get(index < 0 ? values.size() + index : index);
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public Object attribute(String name) {
            try {
                return get(Integer.parseInt(name));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                for (int k = 0; k < names.size(); k++) {
                    if (names.get(k).equalsIgnoreCase(name)) return values.get(k);
                }
                return MISSING;
            }
        }

        @Override
        public Object method(String name, List<Object> args, Map<String, Object> kw) {
            return switch (name) {
                case "keys" -> names;
                case "values" -> values;
                case "items" -> {
                    List<Object> out = new ArrayList<>();
                    for (int k = 0; k < names.size(); k++) out.add(List.of(names.get(k), values.get(k)));
                    yield out;
                }
                case "get" -> {
                    Object v = attribute(String.valueOf(args.get(0)));
                    yield v == MISSING ? (args.size() > 1 ? args.get(1) : null) : v;
                }
                case "dict" -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int k = 0; k < names.size(); k++) m.put(names.get(k), values.get(k));
                    yield m;
                }
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return kind;
        }
    }

    /** One column: its name and its values in row order. */
    record Column(String name, int index, List<Row> rows) implements JinjaObject {
        @Override
        public Object attribute(String attr) {
            return switch (attr) {
                case "name" -> name;
                case "data_type" -> "unknown";
                default -> MISSING;
            };
        }

        @Override
        public Object method(String m, List<Object> args, Map<String, Object> kw) {
            if (m.equals("values") || m.equals("values_distinct")) {
                List<Object> out = new ArrayList<>();
                for (Row r : rows) {
                    Object v = r.get(index);
                    if (m.equals("values") || !out.contains(v)) out.add(v);
                }
                return out;
            }
            return MISSING;
        }

        @Override
        public String jinjaName() {
            return "column " + name.toLowerCase(Locale.ROOT);
        }
    }
}
