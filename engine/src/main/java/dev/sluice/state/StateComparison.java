package dev.sluice.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.ConfigException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * state: and result: selection, as dbt defines them, comparing the current manifest with an earlier run's.
 * state:modified is new nodes plus every kind of change below; each kind is also a sub-selector
 * (state:modified.body, .configs, .relation, .persisted_descriptions, .macros, .contract), and .vars is this
 * engine's addition: a var or env var the node read has another value now (dbt does not see these, #4304).
 * As in dbt, a new node counts as modified for every sub-selector except .macros and .vars.
 */
public final class StateComparison {
    public static final List<String> STATE_VALUES = List.of("new", "old", "modified", "unmodified", "modified.body",
            "modified.configs", "modified.relation", "modified.persisted_descriptions", "modified.macros",
            "modified.contract", "modified.vars");
    public static final List<String> RESULT_VALUES = List.of("success", "error", "fail", "warn", "pass", "skipped");
    /**
     * Config keys compared by .relation and .contract rather than .configs, and the engine's facts about the node
     * (vars read, column lineage) which the manifest keeps in its config but are no configuration.
     */
    private static final Set<String> NOT_CONFIGS = Set.of("database", "schema", "alias", "contract", "sluice");

    private final StateManifest previous;
    private final StateManifest current;
    private final Set<String> changedMacros = new HashSet<>();

    public StateComparison(StateManifest previous, StateManifest current) {
        this.previous = previous;
        this.current = current;
        current.macros().forEach((id, m) -> {
            JsonNode old = previous.macros().get(id);
            if (old == null || !old.path("macro_sql").equals(m.path("macro_sql"))) changedMacros.add(id);
        });
        // A macro that is gone changes what calls of that name resolve to.
        previous.macros().keySet().stream().filter(id -> !current.macros().containsKey(id)).forEach(changedMacros::add);
    }

    /** The current nodes (and sources) a state: selector value matches. */
    public Set<String> state(String value) {
        if (!STATE_VALUES.contains(value)) {
            throw new ConfigException("unknown state selector 'state:" + value + "' (known: state:"
                    + String.join(", state:", STATE_VALUES) + ")");
        }
        Set<String> out = new LinkedHashSet<>();
        current.nodes().forEach((id, now) -> {
            JsonNode old = previous.node(id).orElse(null);
            if (matches(value, old, now)) out.add(id);
        });
        return out;
    }

    /** The nodes whose status in the state's run_results.json is the value (result:error, result:fail, ...). */
    public Set<String> result(String value) {
        if (!RESULT_VALUES.contains(value)) {
            throw new ConfigException("unknown result selector 'result:" + value + "' (known: result:"
                    + String.join(", result:", RESULT_VALUES) + ")");
        }
        Map<String, String> results = previous.results().orElseThrow(() -> new ConfigException("result:" + value
                + " needs run_results.json in the --state folder " + previous.dir() + ", and there is none"));
        Set<String> out = new LinkedHashSet<>();
        results.forEach((id, status) -> {
            if (status.equals(value) && current.nodes().containsKey(id)) out.add(id);
        });
        return out;
    }

    private boolean matches(String value, JsonNode old, JsonNode now) {
        return switch (value) {
            case "new" -> old == null;
            case "old" -> old != null;
            case "modified" -> old == null || modified(old, now);
            case "unmodified" -> old != null && !modified(old, now);
            case "modified.body" -> old == null || !sameBody(old, now);
            case "modified.configs" -> old == null || !sameConfigs(old, now);
            case "modified.relation" -> old == null || !sameRelation(old, now);
            case "modified.persisted_descriptions" -> old == null || !samePersistedDescriptions(old, now);
            case "modified.contract" -> old == null || !sameContract(old, now);
            case "modified.macros" -> old != null && macrosChanged(now);
            case "modified.vars" -> old != null && !sameInputs(old, now);
            default -> throw new IllegalStateException(value);
        };
    }

    private boolean modified(JsonNode old, JsonNode now) {
        return !sameBody(old, now) || !sameConfigs(old, now) || !sameRelation(old, now)
                || !samePersistedDescriptions(old, now) || !sameContract(old, now) || macrosChanged(now)
                || !sameInputs(old, now);
    }

    /** The file's checksum (a seed's CSV, a model's SQL), or its raw code where a manifest has no checksum. */
    private static boolean sameBody(JsonNode old, JsonNode now) {
        JsonNode a = old.path("checksum").path("checksum");
        JsonNode b = now.path("checksum").path("checksum");
        if (!a.isMissingNode() && !b.isMissingNode()) return a.equals(b);
        return old.path("raw_code").equals(now.path("raw_code"));
    }

    private static boolean sameConfigs(JsonNode old, JsonNode now) {
        return configWithout(old).equals(configWithout(now));
    }

    private static JsonNode configWithout(JsonNode n) {
        JsonNode c = n.path("config");
        if (!c.isObject()) return c;
        ObjectNode copy = ((ObjectNode) c).deepCopy();
        copy.remove(NOT_CONFIGS);
        return copy;
    }

    /**
     * The configured database, schema and alias (not the rendered relation: a CI target's schema differs from
     * prod's by design); for a source, where it points.
     */
    private static boolean sameRelation(JsonNode old, JsonNode now) {
        if ("source".equals(now.path("resource_type").asText())) {
            for (String k : List.of("database", "schema", "identifier")) {
                if (!old.path(k).equals(now.path(k))) return false;
            }
            return true;
        }
        for (String k : List.of("database", "schema", "alias")) {
            if (!old.path("config").path(k).equals(now.path("config").path(k))) return false;
        }
        return true;
    }

    private static boolean samePersistedDescriptions(JsonNode old, JsonNode now) {
        JsonNode persist = now.path("config").path("persist_docs");
        if (persist.path("relation").asBoolean(false) && !old.path("description").equals(now.path("description"))) return false;
        if (persist.path("columns").asBoolean(false)) {
            return descriptions(old).equals(descriptions(now));
        }
        return true;
    }

    private static Map<String, String> descriptions(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        n.path("columns").properties().forEach(e -> out.put(e.getKey(), e.getValue().path("description").asText("")));
        return out;
    }

    /** For a node whose contract is enforced (now or before): the flag, and each column's name, type and constraints. */
    private static boolean sameContract(JsonNode old, JsonNode now) {
        boolean was = old.path("config").path("contract").path("enforced").asBoolean(false);
        boolean is = now.path("config").path("contract").path("enforced").asBoolean(false);
        if (!was && !is) return true;
        return was == is && contractColumns(old).equals(contractColumns(now));
    }

    private static Map<String, String> contractColumns(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        n.path("columns").properties().forEach(e -> out.put(e.getKey().toLowerCase(java.util.Locale.ROOT),
                e.getValue().path("data_type").asText("") + "|" + e.getValue().path("constraints")));
        return out;
    }

    /** Whether a macro the node calls, directly or through other macros, differs from the state's. */
    private boolean macrosChanged(JsonNode now) {
        if (changedMacros.isEmpty()) return false;
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        now.path("depends_on").path("macros").forEach(m -> todo.add(m.asText()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!seen.add(id)) continue;
            if (changedMacros.contains(id)) return true;
            JsonNode m = current.macros().get(id);
            if (m != null) m.path("depends_on").path("macros").forEach(x -> todo.add(x.asText()));
        }
        return false;
    }

    /** The values (as hashes) of the vars and env vars the node read; not compared when either run did not record them. */
    private static boolean sameInputs(JsonNode old, JsonNode now) {
        JsonNode a = varsUsed(old);
        JsonNode b = varsUsed(now);
        return a == null || b == null || a.equals(b);
    }

    /** In the node's engine facts (config.sluice); at the top of the entry in manifests of earlier versions. */
    private static JsonNode varsUsed(JsonNode n) {
        JsonNode facts = n.path("config").path("sluice").get("vars_used");
        return facts != null ? facts : n.get("vars_used");
    }
}
