package dev.sluice.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.adapter.JdbcSession;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows an export sends, with values reduced to a few Java types (Long, Double, BigDecimal, Boolean,
 * LocalDate, LocalDateTime, String or null) so that files and payloads look the same whatever the warehouse,
 * and with the hash_columns already replaced by their SHA-256 ({@code email} becomes {@code email_sha256}).
 */
public final class ExportRows {
    /** Column kinds the writers know. */
    public enum Kind { BIGINT, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP, TEXT }

    // Configured once and only read afterwards; ObjectMapper is thread-safe for writing.
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> columns;
    private final List<Kind> kinds;
    private final List<List<Object>> rows;

    public ExportRows(List<String> columns, List<Kind> kinds, List<List<Object>> rows) {
        if (columns.size() != kinds.size()) throw new IllegalArgumentException("one kind per column");
        this.columns = List.copyOf(columns);
        this.kinds = List.copyOf(kinds);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        this.rows = Collections.unmodifiableList(copy);
    }

    public List<String> columns() {
        return columns;
    }

    public List<Kind> kinds() {
        return kinds;
    }

    public List<List<Object>> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** Runs the input query and reads every row (exports are audiences, not fact tables). */
    public static ExportRows query(Session session, String sql, List<String> hashColumns) {
        List<String> names = new ArrayList<>();
        List<Integer> jdbcTypes = new ArrayList<>();
        List<List<Object>> raw = new ArrayList<>();
        if (session.raw() instanceof JdbcSession js) {
            // Through JDBC so that an empty result still has its columns (a CSV header, a Parquet schema).
            dev.sluice.adapter.SqlLog.sent(js.warehouse(), sql);
            try (Statement st = js.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnLabel(i));
                    jdbcTypes.add(md.getColumnType(i));
                }
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(names.size());
                    for (int i = 1; i <= names.size(); i++) row.add(rs.getObject(i));
                    raw.add(row);
                }
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage() == null ? e.toString() : e.getMessage().strip(), e);
            }
        } else {
            for (Map<String, Object> m : session.query(sql)) {
                if (names.isEmpty()) m.keySet().forEach(k -> {
                    names.add(k);
                    jdbcTypes.add(Types.OTHER);
                });
                raw.add(new ArrayList<>(m.values()));
            }
            if (raw.isEmpty()) {
                for (String k : session.resultColumns(sql)) {
                    names.add(k);
                    jdbcTypes.add(Types.OTHER);
                }
            }
        }
        return of(names, jdbcTypes, raw).hashed(hashColumns);
    }

    /** Rows from plain Java values, e.g. in tests; each column's kind follows from its values. */
    public static ExportRows of(List<String> names, List<List<Object>> raw) {
        List<Integer> types = new ArrayList<>();
        names.forEach(n -> types.add(Types.OTHER));
        return of(names, types, raw);
    }

    private static ExportRows of(List<String> names, List<Integer> jdbcTypes, List<List<Object>> raw) {
        List<List<Object>> rows = new ArrayList<>(raw.size());
        for (List<Object> r : raw) {
            List<Object> row = new ArrayList<>(r.size());
            for (Object v : r) row.add(simplify(v));
            rows.add(row);
        }
        List<Kind> kinds = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            Kind k = kindOf(rows, c, jdbcTypes.get(c));
            kinds.add(k);
            if (k == Kind.TEXT) {
                // A column of mixed types is written as text throughout.
                for (List<Object> row : rows) if (row.get(c) != null) row.set(c, text(row.get(c)));
            } else if (k == Kind.DOUBLE) {
                for (List<Object> row : rows) if (row.get(c) instanceof Number n) row.set(c, n.doubleValue());
            }
        }
        return new ExportRows(names, kinds, rows);
    }

    /** Replaces each named column by column_sha256 holding the hash of its normalized value. */
    public ExportRows hashed(List<String> hashColumns) {
        if (hashColumns.isEmpty()) return this;
        List<String> names = new ArrayList<>(columns);
        List<Kind> newKinds = new ArrayList<>(kinds);
        List<Integer> indexes = new ArrayList<>();
        for (String h : hashColumns) {
            int i = indexOf(h);
            if (i < 0) {
                throw new ConfigException("hash_columns names '" + h + "', which the input query does not return; it has "
                        + String.join(", ", columns));
            }
            indexes.add(i);
            names.set(i, columns.get(i) + "_sha256");
            newKinds.set(i, Kind.TEXT);
        }
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            List<Object> row = new ArrayList<>(r);
            for (int i : indexes) row.set(i, Hashing.hashIdentifier(columns.get(i), r.get(i)));
            out.add(row);
        }
        return new ExportRows(names, newKinds, out);
    }

    /** Case-insensitive, as warehouses fold unquoted names differently. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).equalsIgnoreCase(column)) return i;
        return -1;
    }

    /** A row as a JSON object in column order: dates as ISO strings, non-finite doubles as null. */
    public Map<String, Object> payload(int row) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> r = rows.get(row);
        for (int c = 0; c < columns.size(); c++) m.put(columns.get(c), jsonValue(r.get(c)));
        return m;
    }

    /** SHA-256 of the row's canonical JSON: what incremental exports compare between runs. */
    public String payloadHash(int row) {
        return Hashing.sha256Hex(json(payload(row)));
    }

    static Object jsonValue(Object v) {
        if (v instanceof LocalDate || v instanceof LocalDateTime) return v.toString();
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) return null;
        return v;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export values are plain JSON types", e);
        }
    }

    static byte[] jsonBytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export values are plain JSON types", e);
        }
    }

    /** How a value prints in text formats and ids: decimals without exponent, dates in ISO form. */
    static String text(Object v) {
        if (v == null) return null;
        if (v instanceof BigDecimal d) return d.toPlainString();
        return v.toString();
    }

    private static Object simplify(Object v) {
        if (v == null) return null;
        if (v instanceof Long || v instanceof Double || v instanceof BigDecimal || v instanceof Boolean
                || v instanceof String || v instanceof LocalDate || v instanceof LocalDateTime) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : new BigDecimal(b);
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime();
        return v.toString();
    }

    private static Kind kindOf(List<List<Object>> rows, int c, int jdbcType) {
        Kind seen = null;
        for (List<Object> r : rows) {
            Object v = r.get(c);
            if (v == null) continue;
            Kind k = v instanceof Long ? Kind.BIGINT : v instanceof Double ? Kind.DOUBLE
                    : v instanceof BigDecimal ? Kind.DECIMAL : v instanceof Boolean ? Kind.BOOLEAN
                    : v instanceof LocalDate ? Kind.DATE : v instanceof LocalDateTime ? Kind.TIMESTAMP : Kind.TEXT;
            if (seen == null) seen = k;
            else if (seen != k) {
                // Integers mixed with fractions are still numbers.
                boolean numeric = (seen == Kind.BIGINT || seen == Kind.DOUBLE || seen == Kind.DECIMAL)
                        && (k == Kind.BIGINT || k == Kind.DOUBLE || k == Kind.DECIMAL);
                seen = numeric ? Kind.DOUBLE : Kind.TEXT;
            }
        }
        return seen != null ? seen : fromJdbc(jdbcType);
    }

    private static Kind fromJdbc(int t) {
        return switch (t) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.BIGINT;
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> Kind.DOUBLE;
            case Types.DECIMAL, Types.NUMERIC -> Kind.DECIMAL;
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.DATE -> Kind.DATE;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            default -> Kind.TEXT;
        };
    }

    /** Largest scale among a decimal column's values, for the Parquet schema. */
    int decimalScale(int c) {
        int scale = 0;
        for (List<Object> r : rows) if (r.get(c) instanceof BigDecimal d) scale = Math.max(scale, Math.max(0, d.scale()));
        return Math.min(scale, 18);
    }

    @Override
    public String toString() {
        return size() + " rows of " + String.join(", ", columns).toLowerCase(Locale.ROOT);
    }
}
