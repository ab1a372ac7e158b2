package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.template.JinjaObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** dbt's Column: name, quoted, data_type, dtype, is_string(), is_number(), string_size() ... */
final class ColumnObject implements JinjaObject {
    private static final Pattern SIZED = Pattern.compile("^([a-zA-Z ]+?)\\s*\\((\\d+)(?:\\s*,\\s*(\\d+))?\\)$");

    private final String name;
    private final String dtype;
    private final Adapter adapter;

    ColumnObject(String name, String dtype, Adapter adapter) {
        this.name = name;
        this.dtype = dtype == null ? "" : dtype;
        this.adapter = adapter;
    }

    private String base() {
        Matcher m = SIZED.matcher(dtype.trim());
        return (m.matches() ? m.group(1) : dtype).trim().toLowerCase(Locale.ROOT);
    }

    /** The declared size of a character type, 0 when it has none. */
    long size() {
        Matcher m = SIZED.matcher(dtype.trim());
        return m.matches() && isString() ? Long.parseLong(m.group(2)) : 0;
    }

    boolean isString() {
        String b = base();
        return b.contains("char") || b.equals("text") || b.equals("string") || b.equals("varchar");
    }

    boolean isNumber() {
        return isInteger() || isFloat() || isNumeric();
    }

    private boolean isInteger() {
        return List.of("int", "integer", "bigint", "smallint", "tinyint", "hugeint", "int2", "int4", "int8", "long")
                .contains(base());
    }

    private boolean isFloat() {
        String b = base();
        return b.equals("float") || b.equals("double") || b.equals("real") || b.startsWith("double precision")
                || b.equals("float4") || b.equals("float8");
    }

    private boolean isNumeric() {
        String b = base();
        return b.equals("numeric") || b.equals("decimal") || b.equals("number");
    }

    /**
     * dbt's Column.data_type: a character type keeps its size, and one without a size is given dbt's 256, except on
     * PostgreSQL, whose text and unsized character varying are kept as they are (dbt-postgres's PostgresColumn).
     */
    private String dataType() {
        if (!isString()) return dtype;
        if (adapter.type().equals("postgres") && (base().equals("text") || base().equals("character varying") && size() == 0)) {
            return base();
        }
        if (adapter.type().equals("duckdb") && size() == 0) return WarehouseObjects.stringType(adapter.type(), UNSIZED_STRING);
        return size() > 0 ? WarehouseObjects.stringType(adapter.type(), size()) : WarehouseObjects.stringType(adapter.type(), null);
    }

    /** The size dbt gives a character column that has none (Column.string_size). */
    private static final long UNSIZED_STRING = 256;

    @Override
    public Object attribute(String attr) {
        return switch (attr) {
            case "name", "column" -> name;
            case "quoted" -> adapter.quote(name);
            case "dtype" -> dtype;
            case "data_type" -> dataType();
            case "char_size" -> isString() && size() > 0 ? size() : null;
            default -> MISSING;
        };
    }

    @Override
    public Object method(String m, List<Object> args, Map<String, Object> kw) {
        return switch (m) {
            case "is_string" -> isString();
            case "is_number" -> isNumber();
            case "is_integer" -> isInteger();
            case "is_float" -> isFloat();
            case "is_numeric" -> isNumeric();
            case "string_size" -> size() > 0 ? size() : 256L;
            case "can_expand_to" -> args.get(0) instanceof ColumnObject other && isString() && other.isString()
                    && size() > 0 && (other.size() == 0 || other.size() > size());
            case "literal" -> "cast(" + args.get(0) + " as " + dataType() + ")";
            default -> MISSING;
        };
    }

    @Override
    public String jinjaName() {
        return "column " + name;
    }

    @Override
    public String toString() {
        return "<Column " + name + " (" + dtype + ")>";
    }
}
