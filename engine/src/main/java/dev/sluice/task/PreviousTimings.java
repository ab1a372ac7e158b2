package dev.sluice.task;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How long each node took in the previous run, read from its target/run_results.json: the runner's hint for
 * which ready node to start first (see dev.sluice.exec.Runner). Only nodes that ran count (a skip or an unchanged
 * node's few milliseconds say nothing of its cost). A hint only: a missing or unreadable file gives no timings,
 * never an error, and the run's results do not depend on them.
 */
final class PreviousTimings {
    /** Statuses of nodes that did their work (run_results.json spells them as dbt does). */
    private static final Set<String> RAN = Set.of("success", "pass", "warn", "fail", "partial success");

    private PreviousTimings() {
    }

    /** Seconds by unique id; empty when there is no readable previous run. */
    static Map<String, Double> read(Path runResults) {
        if (!Files.isRegularFile(runResults)) return Map.of();
        Map<String, Double> out = new HashMap<>();
        // Streamed field by field: the file holds every node's compiled SQL, which is not needed here.
        try (JsonParser p = new JsonFactory().createParser(runResults.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                if (!field.equals("results") || p.currentToken() != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String id = null;
                    String status = null;
                    double seconds = Double.NaN;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.getCurrentName();
                        JsonToken value = p.nextToken();
                        switch (key) {
                            case "unique_id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "execution_time" -> seconds = value.isNumeric() ? p.getDoubleValue() : Double.NaN;
                            default -> p.skipChildren();
                        }
                    }
                    if (id != null && status != null && RAN.contains(status) && Double.isFinite(seconds) && seconds >= 0) {
                        out.put(id, seconds);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A half-written or foreign file: run in the default order rather than refuse to run.
            return Map.of();
        }
        return Map.copyOf(out);
    }
}
