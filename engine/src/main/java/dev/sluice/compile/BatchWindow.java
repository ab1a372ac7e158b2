package dev.sluice.compile;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One batch of a microbatch model: the half-open event-time range [start, end) in UTC. Inputs with an
 * event_time read only their rows in it, and the model's rows in it are replaced.
 */
public record BatchWindow(LocalDateTime start, LocalDateTime end) {
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMddHH");

    /** A timestamp as a SQL string literal every warehouse here casts to its column's type. */
    public static String literal(LocalDateTime t) {
        return "'" + t.format(LITERAL) + "'";
    }

    /** "event_time >= start and event_time < end" for a column name as written. */
    public String condition(String column) {
        return column + " >= " + literal(start) + " and " + column + " < " + literal(end);
    }

    /** dbt's batch id: the start as yyyymmdd for day batches and larger, with the hour for hourly ones. */
    public String id(String batchSize) {
        String full = start.format(ID);
        return "hour".equals(batchSize) ? full : full.substring(0, 8);
    }

    @Override
    public String toString() {
        return start.format(LITERAL) + " to " + end.format(LITERAL);
    }
}
