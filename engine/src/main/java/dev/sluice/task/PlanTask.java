package dev.sluice.task;

import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.EngineException;
import dev.sluice.exec.Progress;
import dev.sluice.project.NodeType;
import dev.sluice.state.ColumnChanges;
import dev.sluice.state.FingerprintStore;
import dev.sluice.state.Fingerprints;
import dev.sluice.state.StoredFingerprint;
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
            // The fingerprints a full build would give, against those the target's state table stores (read only:
            // a missing table means nothing was built with fingerprints yet).
            Map<String, StoredFingerprint> stored = FingerprintStore.forTarget(ws.adapter(), ws.target()).load(s);
            Fingerprints current = new Fingerprints(m, ws.adapter(), ws.config().root(), stored, null, t -> null);
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
                    StoredFingerprint was = stored.get(id);
                    List<String> parts = was == null ? null : current.of(id, s).changedParts(was.fingerprint());
                    cols = changes.knowable(n) ? changes.of(id, types(s, "select * from " + ws.adapter().render(n.relation())),
                            types(s, "select * from (\n" + n.compiledSql().strip().replaceAll(";+$", "") + "\n) sluice_plan")) : List.of();
                    if (parts != null && !parts.isEmpty()) {
                        action = Plan.MODIFIED;
                        reasons.addAll(parts);
                        if (!cols.isEmpty()) reasons.add("columns");
                    } else if (!cols.isEmpty()) {
                        // The deployed relation differs from what the SQL gives, whatever built it.
                        action = Plan.MODIFIED;
                        reasons.add("columns");
                    } else if (parts == null) {
                        action = Plan.REBUILD;
                        reasons.add("no fingerprint stored");
                    } else {
                        action = Plan.UNCHANGED;
                        if (Fingerprints.alwaysRuns(n)) {
                            reasons.add(n.node().type() == NodeType.MODEL ? "runs its increment" : "runs on every build");
                        }
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

    /**
     * A query's column types by lower-case name, read without rows; empty when the warehouse cannot say (e.g. the
     * new SQL reads a column an upstream model only gets from this same build).
     */
    private static Map<String, String> types(Session s, String select) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            for (ColumnInfo c : s.resultColumnTypes(select + " where 1 = 0")) out.put(c.name().toLowerCase(java.util.Locale.ROOT), c.dataType());
            return out;
        } catch (dev.sluice.error.DatabaseException e) {
            return Map.of();
        }
    }

    private static boolean builds(CompiledNode n) {
        return BUILT.contains(n.node().type()) && !n.isEphemeral() && n.relation() != null;
    }
}
