package dev.sluice.serve;

import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.docs.DagLayout;
import dev.sluice.project.NodeType;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's DAG for the DAG page: its models, seeds and snapshots with their dependencies, laid out as the
 * docs site lays them out. Read as `engine ls` reads the project (no warehouse), when the page is first asked
 * for and again when it asks for a fresh copy, so an edited model shows without restarting the server.
 */
public final class ProjectGraph {
    private static final Set<NodeType> SHOWN = Set.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT);
    private final Invocation inv;
    private volatile Map<String, Object> cached;

    public ProjectGraph(Invocation inv) {
        this.inv = inv;
    }

    /** nodes [{id, name, type, x, y}], edges [[from, to]], routes, width, height, node_width, node_height. */
    public Map<String, Object> data(boolean fresh) {
        Map<String, Object> c = cached;
        if (c != null && !fresh) return c;
        c = read();
        cached = c;
        return c;
    }

    private Map<String, Object> read() {
        Manifest m;
        try (Workspace ws = Workspace.open(inv)) {
            m = ws.compileForListing();
        }
        List<String> ids = new ArrayList<>();
        for (CompiledNode n : m.nodes().values()) if (SHOWN.contains(n.node().type())) ids.add(n.uniqueId());
        ids.sort(null);
        List<String[]> edges = new ArrayList<>();
        for (String id : ids) {
            for (String parent : m.node(id).dependsOn()) if (m.nodes().containsKey(parent)) edges.add(new String[]{parent, id});
        }
        DagLayout.Result layout = DagLayout.layout(ids, edges);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String id : ids) {
            CompiledNode n = m.node(id);
            DagLayout.Position p = layout.positions().get(id);
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("id", id);
            j.put("name", n.name());
            j.put("type", n.node().type().label());
            j.put("x", p.x());
            j.put("y", p.y());
            nodes.add(j);
        }
        List<Map<String, Object>> routes = new ArrayList<>();
        for (DagLayout.Route r : layout.routes()) {
            List<List<Integer>> slots = new ArrayList<>();
            for (int[] slot : r.slots()) slots.add(List.of(slot[0], slot[1], slot[2]));
            routes.add(Map.of("from", r.from(), "to", r.to(), "slots", slots));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", nodes);
        out.put("edges", edges.stream().filter(e -> layout.positions().containsKey(e[0])).map(List::of).toList());
        out.put("routes", routes);
        out.put("width", layout.width());
        out.put("height", layout.height());
        out.put("node_width", DagLayout.NODE_WIDTH);
        out.put("node_height", DagLayout.NODE_HEIGHT);
        return out;
    }
}
