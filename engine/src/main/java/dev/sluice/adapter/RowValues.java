package dev.sluice.adapter;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Reading query rows: columns whose names a warehouse may report in any case (SHOW output), and the timestamps
 * the engine's state tables hold, which each driver returns as a different Java type.
 */
public final class RowValues {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private RowValues() {
    }

    /** The value of the column named so, ignoring case; null when there is none. */
    public static Object get(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v != null) return v;
        for (Map.Entry<String, Object> e : row.entrySet()) if (e.getKey().equalsIgnoreCase(column)) return e.getValue();
        return null;
    }

    /**
     * A timestamp without time zone that the engine wrote in UTC ({@link Adapter#timestampLiteral}), as the
     * driver returned it (java.sql.Timestamp, LocalDateTime, OffsetDateTime or text); null for null.
     *
     * @throws java.time.format.DateTimeParseException when a text value is not a timestamp
     */
    public static Instant utcInstant(Object o) {
        if (o == null) return null;
        if (o instanceof java.sql.Timestamp t) return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        if (o instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        if (o instanceof OffsetDateTime t) return t.toInstant();
        return LocalDateTime.parse(o.toString().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
}
