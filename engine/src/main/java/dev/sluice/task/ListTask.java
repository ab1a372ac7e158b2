package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.project.SourceTable;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ls: the selected resources, as dotted names, paths, plain names or JSON lines. Needs no warehouse. */
public final class ListTask {
    private final Workspace ws;

    public ListTask(Workspace ws) {
        this.ws = ws;
    }

    public int execute(PrintStream out, String output, List<String> resourceTypes) {
        Manifest m = ws.compileForListing();
        ProjectGraph graph = new ProjectGraph(m);
        Invocation inv = ws.invocation();
        ObjectMapper json = new ObjectMapper();
        int count = 0;
        for (String id : graph.select(inv.select(), inv.exclude(), inv.indirectSelection())) {
            CompiledNode n = m.node(id);
            SourceTable src = m.sources().get(id);
            String type = n != null ? n.node().type().label() : "source";
            if (!resourceTypes.isEmpty() && !resourceTypes.contains(type)) continue;
            String line;
            switch (output) {
                case "name" -> line = n != null ? n.name() : src.sourceName() + "." + src.name();
                case "path" -> line = n != null ? n.node().file().toString() : src.location().file().toString();
                case "json" -> {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("unique_id", id);
                    j.put("resource_type", type);
                    j.put("name", n != null ? n.name() : src.name());
                    j.put("original_file_path", n != null ? n.node().file().toString() : src.location().file().toString());
                    if (n != null) {
                        j.put("config", n.config());
                        j.put("depends_on", Map.of("nodes", n.dependsOn()));
                    }
                    try {
                        line = json.writeValueAsString(j);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }
                case "selector" -> line = n != null ? String.join(".", n.node().fqn())
                        : "source:" + ws.config().name() + "." + src.sourceName() + "." + src.name();
                default -> throw new ConfigException("--output must be one of selector, name, path, json; got '" + output + "'");
            }
            out.println(line);
            count++;
        }
        return count;
    }
}
