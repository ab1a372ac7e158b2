package dev.sluice.exec;

import java.time.Instant;
import java.util.Map;

/**
 * @param message         short outcome for the progress line, e.g. "SELECT 42" or "FAIL 3"
 * @param failures        failing rows of a test; null for other nodes
 * @param error           the full error or failure explanation, null on success
 * @param adapterResponse e.g. rows_affected
 */
public record NodeResult(String uniqueId, NodeStatus status, String message, Instant startedAt, Instant completedAt,
                         Long failures, String error, Map<String, Object> adapterResponse) {

    public NodeResult {
        // Sorted, so run_results.json and JSON logs list the response's keys in one order from run to run
        // (callers pass Map.of, whose order changes with each JVM).
        adapterResponse = adapterResponse == null || adapterResponse.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(adapterResponse));
    }

    public double seconds() {
        return startedAt == null || completedAt == null ? 0 : (completedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }

    public static NodeResult skipped(String id, String why) {
        Instant now = Instant.now();
        return new NodeResult(id, NodeStatus.SKIPPED, "SKIP", now, now, null, why, Map.of());
    }
}
