package dev.sluice.project;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One output of a profile: which warehouse, where, and the settings its adapter reads.
 *
 * @param settings every key of the output (rendered), secrets included; never printed: see toString
 * @param source   the profiles.yml it came from, or null for the built-in DuckDB default
 */
public record Target(String profile, String name, String type, String database, String schema, int threads,
                     Map<String, Object> settings, Path source) {

    private static final Set<String> SECRET_KEYS = Set.of("password", "pass", "token", "private_key",
            "private_key_passphrase", "client_secret", "access_token", "secret");

    public String setting(String key) {
        Object v = settings.get(key);
        return v == null ? null : v.toString();
    }

    public static boolean isSecret(String key) {
        return SECRET_KEYS.contains(key.toLowerCase());
    }

    /** What templates see as {{ target }}: settings without secrets. */
    public Map<String, Object> templateView() {
        Map<String, Object> m = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (!isSecret(k)) m.put(k, v);
        });
        m.put("name", name);
        m.put("profile_name", profile);
        m.put("type", type);
        m.put("schema", schema);
        m.put("database", database);
        m.put("threads", threads);
        return m;
    }

    @Override
    public String toString() {
        return "Target[" + profile + "." + name + " " + type + " schema=" + schema + "]";
    }
}
