package dev.sluice.template;

import java.time.Instant;
import java.time.ZoneOffset;

/** Python values the context gives templates, made by the engine (run_started_at is a datetime, as in dbt). */
public final class PyValues {
    private PyValues() {
    }

    /** A timezone-aware UTC datetime: prints as 2024-01-01 10:00:00.123456+00:00, has strftime, + timedelta. */
    public static Object utcDateTime(Instant instant) {
        return PyDates.DateTime.of(instant.atZone(ZoneOffset.UTC));
    }
}
