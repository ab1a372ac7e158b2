package dev.sluice.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * dbt's source_status: selection method. source_status:fresher selects the sources whose latest load
 * (max_loaded_at in the current target's sources.json) is later than in the --state folder's sources.json, or
 * that the state did not check; a source whose check failed in either run is never fresher.
 */
public final class SourceStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SourceStatus() {
    }

    /**
     * @param stateDir      the --state folder
     * @param currentTarget this project's target folder, where `engine source freshness` wrote sources.json
     */
    public static Set<String> matching(Path stateDir, Path currentTarget, String value) {
        if (!value.equals("fresher")) {
            throw new ConfigException("unknown value in 'source_status:" + value + "' (known: fresher)");
        }
        Results previous = read(stateDir.resolve("sources.json"), "the --state folder " + stateDir
                + " has no sources.json: run `engine source freshness` for the state's run too");
        Results current = read(currentTarget.resolve("sources.json"), currentTarget.resolve("sources.json")
                + " is missing: run `engine source freshness` before selecting with source_status:");
        Set<String> out = new LinkedHashSet<>();
        current.loaded().forEach((id, at) -> {
            if (previous.failed().contains(id) || current.failed().contains(id)) return;
            Instant before = previous.loaded().get(id);
            if (before == null || at.isAfter(before)) out.add(id);
        });
        return out;
    }

    /** max_loaded_at of each checked source, and the sources whose check was a runtime error. */
    private record Results(Map<String, Instant> loaded, Set<String> failed) {
    }

    private static Results read(Path file, String missing) {
        if (!Files.isRegularFile(file)) throw new ConfigException(missing);
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not a sources.json (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!doc.path("results").isArray()) throw new ConfigException(file + ": not a sources.json (it has no results)");
        Map<String, Instant> loaded = new LinkedHashMap<>();
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode r : doc.get("results")) {
            String id = r.path("unique_id").asText();
            JsonNode at = r.get("max_loaded_at");
            if (at == null || at.isNull()) failed.add(id);
            else loaded.put(id, instant(at.asText(), file));
        }
        return new Results(loaded, failed);
    }

    /** An ISO time as this engine writes it (…Z) or dbt does (…+00:00, or without an offset, meaning UTC). */
    static Instant instant(String text, Path file) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException zoneless) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new ConfigException(file + ": max_loaded_at '" + text + "' is not an ISO date and time");
            }
        }
    }
}
