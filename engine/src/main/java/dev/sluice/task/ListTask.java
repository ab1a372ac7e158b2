package dev.sluice.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.Progress;
import dev.sluice.project.SourceTable;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ls: the selected resources, as dotted names, paths, plain names or JSON lines. Needs no warehouse. */
public final class ListTask {
    /** dbt's resource types; those this engine has no such nodes of simply list nothing. */
    public static final List<String> RESOURCE_TYPES = List.of("model", "seed", "test", "snapshot", "source", "operator",
            "analysis", "exposure", "metric", "saved_query", "semantic_model", "unit_test", "all", "default");
    public static final List<String> OUTPUTS = List.of("selector", "name", "path", "json");
    /** Keys of a JSON line, as --output-keys can name them. */
    public static final List<String> KEYS = List.of("unique_id", "resource_type", "name", "package_name",
            "original_file_path", "fqn", "config", "tags", "depends_on", "alias", "schema", "database", "description",
            "source_name");

    private final Workspace ws;
    private final Progress progress;

    public ListTask(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress;
    }

    /** Checks --output, --resource-type and --output-keys before anything is read, naming what is accepted. */
    public static void validate(String output, List<String> resourceTypes, List<String> outputKeys) {
        if (!OUTPUTS.contains(output)) {
            throw new ConfigException("--output must be one of " + String.join(", ", OUTPUTS) + "; got '" + output + "'");
        }
        for (String t : resourceTypes) {
            if (!RESOURCE_TYPES.contains(t)) {
                throw new ConfigException("--resource-type must be one of " + String.join(", ", RESOURCE_TYPES) + "; got '" + t + "'");
            }
        }
        for (String k : outputKeys) {
            if (!KEYS.contains(k)) {
                throw new ConfigException("--output-keys: unknown key '" + k + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        if (!outputKeys.isEmpty() && !output.equals("json")) {
            throw new ConfigException("--output-keys needs --output json");
        }
    }

    public int execute(PrintStream out, String output, List<String> resourceTypes, List<String> outputKeys) {
        validate(output, resourceTypes, outputKeys);
        dev.sluice.state.StateManifest previous = StateRun.previous(ws);
        Manifest m = ws.compileForListing();
        ws.reportParseCache(progress);
        ProjectGraph graph = previous == null ? new ProjectGraph(m) : StateRun.graph(ws, m, previous, Artifacts.manifestTree(ws, m));
        Invocation inv = ws.invocation();
        // Only JSON lines need the mapper: starting it is most of what a plain listing would otherwise cost.
        ObjectMapper json = output.equals("json") ? new ObjectMapper() : null;
        Set<String> types = new java.util.HashSet<>(resourceTypes);
        if (types.remove("all") || types.remove("default")) types.addAll(RESOURCE_TYPES);
        int count = 0;
        for (String id : graph.select(inv, inv.indirectSelection(), progress)) {
            CompiledNode n = m.node(id);
            SourceTable src = m.sources().get(id);
            String type = n != null ? n.node().type().label() : "source";
            if (!types.isEmpty() && !types.contains(type)) continue;
            String line = switch (output) {
                case "name" -> n != null ? n.name() : src.sourceName() + "." + src.name();
                case "path" -> n != null ? n.node().file().toString() : src.location().file().toString();
                case "json" -> {
                    Map<String, Object> j = describe(m, id, n, src, type);
                    if (!outputKeys.isEmpty()) j.keySet().retainAll(outputKeys);
                    try {
                        yield json.writeValueAsString(j);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }
                default -> n != null ? (n.node().type() == dev.sluice.project.NodeType.EXPOSURE ? "exposure:" : "")
                        + String.join(".", n.node().fqn())
                        : "source:" + ws.config().name() + "." + src.sourceName() + "." + src.name();
            };
            out.println(line);
            count++;
        }
        return count;
    }

    private Map<String, Object> describe(Manifest m, String id, CompiledNode n, SourceTable src, String type) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("unique_id", id);
        j.put("resource_type", type);
        j.put("name", n != null ? n.name() : src.name());
        j.put("package_name", m.project().name());
        j.put("original_file_path", n != null ? n.node().file().toString() : src.location().file().toString());
        if (n != null) {
            j.put("fqn", n.node().fqn());
            j.put("config", n.config());
            j.put("tags", dev.sluice.project.Configs.strings(n.config().get("tags")));
            j.put("depends_on", Map.of("nodes", n.dependsOn()));
            j.put("alias", n.relation().identifier());
            j.put("schema", n.relation().schema());
            j.put("database", n.relation().database());
            j.put("description", n.node().description());
        } else {
            List<String> fqn = new ArrayList<>(List.of(ws.config().name(), src.sourceName(), src.name()));
            j.put("fqn", fqn);
            j.put("source_name", src.sourceName());
            j.put("schema", src.schema());
            j.put("database", src.database());
            j.put("description", src.description());
        }
        return j;
    }
}
