package dev.sluice.task;

import dev.sluice.error.ConfigException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The key=value labels a user puts on one run (seed 004's {@code --tag run_type=test --tag version=1.0.0}), kept in
 * the order given. They describe the run for the people and tools reading its artifacts; they select nothing.
 */
public record RunTags(Map<String, String> values) {
    public static final RunTags NONE = new RunTags(Map.of());
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    public RunTags {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses repeated {@code --tag key=value} arguments; a malformed one or a key given twice is a usage error. */
    public static RunTags parse(List<String> args) {
        if (args == null || args.isEmpty()) return NONE;
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.strip() : a.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new ConfigException("--tag '" + a + "' must be key=value with a key of letters, digits, _ . or -"
                        + " (for example --tag run_type=test)");
            }
            if (out.containsKey(key)) {
                throw new ConfigException("--tag " + key + " is given twice ('" + out.get(key) + "' and '"
                        + a.substring(eq + 1) + "'): give each key once");
            }
            out.put(key, a.substring(eq + 1));
        }
        return new RunTags(out);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** "run_type=test, version=1.0.0" for the run's log line. */
    public String line() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
