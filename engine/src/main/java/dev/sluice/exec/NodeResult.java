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

    public double seconds() {
        return startedAt == null || completedAt == null ? 0 : (completedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }

    public static NodeResult skipped(String id, String why) {
        Instant now = Instant.now();
        return new NodeResult(id, NodeStatus.SKIPPED, "SKIP", now, now, null, why, Map.of());
    }
}
