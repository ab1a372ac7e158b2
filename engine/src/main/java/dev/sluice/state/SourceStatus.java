package dev.sluice.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * source_status:fresher, as dbt: the sources whose latest load (max_loaded_at in this target's sources.json, from
 * `engine source freshness`) is later than in the --state folder's sources.json, or that the state did not check.
 * Sources whose freshness check failed are left out.
 */
public final class SourceStatus {
    private SourceStatus() {
    }

    public static Set<String> select(String value, Path previousDir, Path currentDir) {
        if (!value.equals("fresher")) {
            throw new ConfigException("unknown selector 'source_status:" + value + "' (known: source_status:fresher)");
        }
        Map<String, Instant> before = loads(previousDir.resolve("sources.json"), "the --state folder");
        Map<String, Instant> now = loads(currentDir.resolve("sources.json"), "this target (run `engine source freshness` first)");
        Set<String> out = new LinkedHashSet<>();
        now.forEach((id, at) -> {
            Instant was = before.get(id);
            if (at != null && (was == null || at.isAfter(was))) out.add(id);
        });
        return out;
    }

    /** Latest load per source; null where the check failed. */
    private static Map<String, Instant> loads(Path file, String where) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("source_status: needs sources.json in " + where + ": " + file + " is missing");
        }
        Map<String, Instant> out = new LinkedHashMap<>();
        try {
            for (JsonNode r : new ObjectMapper().readTree(file.toFile()).path("results")) {
                String status = r.path("status").asText();
                JsonNode at = r.get("max_loaded_at");
                boolean failed = status.equals("runtime error") || at == null || at.isNull();
                out.put(r.path("unique_id").asText(), failed ? null : instant(at.asText(), file));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return out;
    }

    private static Instant instant(String text, Path file) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException again) {
                throw new ConfigException(file + ": max_loaded_at '" + text + "' is not a timestamp");
            }
        }
    }
}
