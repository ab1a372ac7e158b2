package dev.sluice.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The artifacts of an earlier run (--state DIR): its manifest.json, for state: selection and --defer, and its
 * run_results.json, if there is one, for result: selection. Also reads the current run's manifest, so both sides
 * of a comparison are the same shape.
 */
public final class StateManifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    /** Nodes, unit tests and sources by unique id. */
    private final Map<String, JsonNode> nodes = new LinkedHashMap<>();
    private final Map<String, JsonNode> macros = new LinkedHashMap<>();
    /** Status by unique id from run_results.json; null when the folder has none. */
    private final Map<String, String> results;

    private StateManifest(Path dir, JsonNode manifest, Map<String, String> results) {
        this.dir = dir;
        for (String section : new String[]{"nodes", "unit_tests", "sources", "snapshots", "seeds"}) {
            manifest.path(section).properties().forEach(e -> nodes.put(e.getKey(), e.getValue()));
        }
        manifest.path("macros").properties().forEach(e -> macros.put(e.getKey(), e.getValue()));
        this.results = results;
    }

    /** Reads DIR/manifest.json (required) and DIR/run_results.json (if present); a bad folder is bad input. */
    public static StateManifest read(Path dir) {
        Path file = dir.resolve("manifest.json");
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--state " + dir + ": no such folder (give the target/ folder of an earlier run)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--state " + dir + ": " + file + " is missing (give the target/ folder of an earlier run)");
        }
        JsonNode manifest = parse(file);
        if (!manifest.isObject() || !manifest.has("nodes")) {
            throw new ConfigException(file + ": not a manifest.json (it has no nodes)");
        }
        Path runResults = dir.resolve("run_results.json");
        Map<String, String> results = null;
        if (Files.isRegularFile(runResults)) {
            results = new LinkedHashMap<>();
            for (JsonNode r : parse(runResults).path("results")) {
                results.put(r.path("unique_id").asText(), r.path("status").asText());
            }
        }
        return new StateManifest(dir, manifest, results);
    }

    /** The current run's manifest, as written to manifest.json. */
    /** The manifest of manifest.json's bytes (the current compile's, not written to a folder). */
    public static StateManifest ofJson(byte[] manifestJson) {
        try {
            return new StateManifest(null, JSON.readTree(manifestJson), null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static StateManifest of(Object manifestTree) {
        return new StateManifest(null, JSON.valueToTree(manifestTree), null);
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    public Path dir() {
        return dir;
    }

    public Map<String, JsonNode> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    public Optional<JsonNode> node(String uniqueId) {
        return Optional.ofNullable(nodes.get(uniqueId));
    }

    public Map<String, JsonNode> macros() {
        return Collections.unmodifiableMap(macros);
    }

    /** Status by unique id of the earlier run; empty when the state folder has no run_results.json. */
    public Optional<Map<String, String>> results() {
        return Optional.ofNullable(results).map(Collections::unmodifiableMap);
    }

    /** Where the earlier run built the node: database, schema and alias (identifier for sources). */
    public Optional<Relation> relation(String uniqueId) {
        JsonNode n = nodes.get(uniqueId);
        if (n == null) return Optional.empty();
        String identifier = text(n, "alias");
        if (identifier == null) identifier = text(n, "identifier");
        if (identifier == null) identifier = text(n, "name");
        if (identifier == null || text(n, "schema") == null) return Optional.empty();
        return Optional.of(new Relation(text(n, "database"), text(n, "schema"), identifier));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
