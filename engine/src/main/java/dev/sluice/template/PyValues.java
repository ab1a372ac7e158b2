package dev.sluice.template;

import java.time.Instant;
import java.time.ZoneOffset;

/** Python values the context gives templates, made by the engine (run_started_at is a datetime, as in dbt). */
public final class PyValues {
    private PyValues() {
    }

    /**
     * A value read from the warehouse as agate gives it to templates: dates and timestamps become Python date and
     * datetime objects (strftime, attributes, arithmetic); anything else is returned as it is.
     */
    public static Object fromWarehouse(Object v) {
        if (v instanceof java.sql.Timestamp t) return new PyDates.DateTime(t.toLocalDateTime(), null);
        if (v instanceof java.sql.Date d) return new PyDates.Date(d.toLocalDate());
        if (v instanceof java.time.LocalDateTime t) return new PyDates.DateTime(t, null);
        if (v instanceof java.time.LocalDate d) return new PyDates.Date(d);
        if (v instanceof java.time.OffsetDateTime t) return PyDates.DateTime.of(t.toZonedDateTime());
        return v;
    }

    /** A timezone-aware UTC datetime: prints as 2024-01-01 10:00:00.123456+00:00, has strftime, + timedelta. */
    public static Object utcDateTime(Instant instant) {
        return PyDates.DateTime.of(instant.atZone(ZoneOffset.UTC));
    }
}
