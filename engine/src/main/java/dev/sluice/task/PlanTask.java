package dev.sluice.task;

import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.EngineException;
import dev.sluice.exec.Progress;
import dev.sluice.project.NodeType;
import dev.sluice.state.ColumnChanges;
import dev.sluice.state.Plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * plan: what a build of the selection would do, and why, without writing to the warehouse. The project is compiled
 * (Calcite gives each model's output columns and their lineage); the warehouse is only read: which relations exist
 * and their columns.
 */
public final class PlanTask {
    private static final Set<NodeType> BUILT = Set.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT);

    private final Workspace ws;
    private final Progress progress;

    public PlanTask(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress;
    }

    public Plan execute() {
        try (Session s = ws.openSession()) {
            Manifest m = ws.compile(s);
            ProjectGraph graph = new ProjectGraph(m);
            Set<String> selected = graph.select(ws.invocation(), ws.invocation().indirectSelection(), progress);
            // Every relation's deployed columns, not only the selection's: downstream models are analysed against them.
            Map<String, List<String>> deployed = new LinkedHashMap<>();
            for (CompiledNode n : m.nodes().values()) {
                if (!builds(n)) continue;
                if (s.relationKind(n.relation()).isEmpty()) continue;
                deployed.put(n.uniqueId(), s.columns(n.relation()).stream().map(ColumnInfo::name).toList());
            }
            ColumnChanges changes = new ColumnChanges(m.nodes(), deployed);
            List<Plan.Entry> entries = new ArrayList<>();
            for (String id : graph.dag.topologicalOrder()) {
                CompiledNode n = m.nodes().get(id);
                if (n == null || !selected.contains(id) || !builds(n)) continue;
                String action;
                List<String> reasons = new ArrayList<>();
                List<ColumnChanges.Change> cols = List.of();
                if (!deployed.containsKey(id)) {
                    action = Plan.NEW;
                    reasons.add("relation absent");
                } else {
                    cols = changes.of(id);
                    if (!cols.isEmpty()) {
                        action = Plan.MODIFIED;
                        reasons.add("columns");
                    } else {
                        action = Plan.REBUILD;
                        reasons.add("no fingerprint stored");
                    }
                }
                entries.add(new Plan.Entry(id, n.name(), n.node().type().label(), n.relation().display(), action,
                        List.copyOf(reasons), changes.knowable(n), cols));
            }
            return new Plan(ws.target().name(), List.copyOf(entries));
        } catch (EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    private static boolean builds(CompiledNode n) {
        return BUILT.contains(n.node().type()) && !n.isEphemeral() && n.relation() != null;
    }
}
