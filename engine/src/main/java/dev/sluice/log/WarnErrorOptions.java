package dev.sluice.log;

import dev.sluice.error.ConfigException;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which warnings are errors, as dbt's --warn-error / --warn-error-options: a mapping with "error" (or the
 * older "include"), "warn" (or "exclude") and "silence", each "all"/"*" or a list of event names.
 *
 * @param errorAll every warning is an error, except those in {@code warn}
 */
public record WarnErrorOptions(boolean errorAll, Set<String> error, Set<String> warn, Set<String> silence) {
    /** Warnings of adapters and endpoints, logged to {@link LogSetup#WARNINGS} rather than to the event log. */
    public static final String ADAPTER_WARNING = "AdapterWarning";

    /** The warnings the engine emits; names in --warn-error-options must be among them. */
    public static final Set<String> KNOWN = Set.of("NoNodesForSelectionCriteria", "ProjectWarning", "DocsWarning",
            "SourceFreshnessWarning", "TestWarning", "JinjaLogWarning", "NothingToDo",
            "FreshnessConfigProblem", ADAPTER_WARNING);

    public static final WarnErrorOptions NONE = new WarnErrorOptions(false, Set.of(), Set.of(), Set.of());

    /** Decision for one warning. */
    public enum Outcome { WARN, ERROR, SILENCE }

    public Outcome decide(String eventName) {
        if (silence.contains(eventName)) return Outcome.SILENCE;
        if (warn.contains(eventName)) return Outcome.WARN;
        return errorAll || error.contains(eventName) ? Outcome.ERROR : Outcome.WARN;
    }

    /** @param warnError the --warn-error flag; @param options the text of --warn-error-options, or null */
    public static WarnErrorOptions of(boolean warnError, String options) {
        if (options == null || options.isBlank()) return warnError ? new WarnErrorOptions(true, Set.of(), Set.of(), Set.of()) : NONE;
        if (warnError) throw new ConfigException("--warn-error and --warn-error-options cannot be given together");
        Object parsed;
        try {
            parsed = new Yaml().load(options);
        } catch (YAMLException e) {
            throw new ConfigException("--warn-error-options is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new ConfigException("--warn-error-options must be a mapping such as '{\"error\": \"all\", \"warn\": [NoNodesForSelectionCriteria]}'");
        }
        for (Object k : m.keySet()) {
            if (!List.of("error", "include", "warn", "exclude", "silence").contains(String.valueOf(k))) {
                throw new ConfigException("--warn-error-options: unknown key '" + k + "' (known: error, warn, silence, include, exclude)");
            }
        }
        if (m.containsKey("error") && m.containsKey("include") || m.containsKey("warn") && m.containsKey("exclude")) {
            throw new ConfigException("--warn-error-options: give 'error'/'warn' or the older 'include'/'exclude', not both");
        }
        Object errorValue = m.containsKey("error") ? m.get("error") : m.get("include");
        Object warnValue = m.containsKey("warn") ? m.get("warn") : m.get("exclude");
        boolean all = errorValue instanceof String s && (s.equals("all") || s.equals("*"));
        return new WarnErrorOptions(all, all ? Set.of() : names("error", errorValue), names("warn", warnValue),
                names("silence", m.get("silence")));
    }

    private static Set<String> names(String key, Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) return out;
        if (!(value instanceof List<?> list)) {
            throw new ConfigException("--warn-error-options: '" + key + "' must be \"all\" or a list of event names, got " + value);
        }
        for (Object o : list) {
            String name = String.valueOf(o);
            if (!KNOWN.contains(name)) {
                throw new ConfigException("--warn-error-options: unknown warning '" + name + "' in '" + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN)) + ")");
            }
            out.add(name);
        }
        return out;
    }
}
