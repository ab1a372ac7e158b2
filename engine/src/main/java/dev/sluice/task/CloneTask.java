package dev.sluice.task;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.Progress;
import dev.sluice.project.NodeType;
import dev.sluice.state.CloneSql;
import dev.sluice.state.StateManifest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * clone: for each selected model, seed and snapshot, a relation in the target that is the --state run's
 * relation, zero-copy where the warehouse can clone tables, otherwise a view onto it (dbt's clone). A relation
 * the target already has is left as it is unless --full-refresh.
 */
public final class CloneTask {
    private final Workspace ws;
    private final Progress progress;

    public CloneTask(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress.masking(ws.secrets()::mask);
    }

    public List<NodeResult> execute() {
        try {
            return executeUnmasked();
        } catch (EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    private List<NodeResult> executeUnmasked() {
        StateManifest previous = StateRun.previous(ws);
        if (previous == null) throw new ConfigException("clone needs --state DIR (the target/ folder of the run to clone from)");
        Instant start = Instant.now();
        Manifest m = ws.compileForListing();
        ProjectGraph graph = StateRun.graph(ws, m, previous, Artifacts.manifestTree(ws, m));
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : graph.select(ws.invocation(), null, progress)) {
            CompiledNode n = m.node(id);
            if (n == null) continue;
            NodeType t = n.node().type();
            boolean model = t == NodeType.MODEL && !n.isEphemeral() && !n.node().isOperatorOutput();
            if (model || t == NodeType.SEED || t == NodeType.SNAPSHOT) chosen.add(id);
        }
        List<NodeResult> results = new ArrayList<>();
        if (chosen.isEmpty()) {
            progress.log().warn("NothingToDo", "Nothing to do. Try checking your model configs and model specification args", Map.of());
        } else {
            progress.event("ConcurrencyLine", "Concurrency: 1 threads (target='" + ws.target().name() + "')",
                    Map.of("num_threads", 1, "target_name", ws.target().name(), "node_count", chosen.size()));
            progress.blank();
            try (Session s = ws.openSession()) {
                Set<String> schemas = new LinkedHashSet<>();
                for (String id : chosen) {
                    Relation r = m.node(id).relation();
                    if (schemas.add(r.database() + "." + r.schema())) s.execute(ws.adapter().createSchemaSql(r));
                }
                int i = 0;
                for (String id : chosen) results.add(cloneOne(s, m.node(id), previous, ++i, chosen.size()));
            }
        }
        double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Artifacts.writeRunResults(ws, m, results, elapsed);
        long ok = results.stream().filter(r -> r.status() == NodeStatus.SUCCESS).count();
        long skip = results.stream().filter(r -> r.status() == NodeStatus.SKIPPED).count();
        long error = results.stream().filter(r -> r.status() == NodeStatus.ERROR).count();
        progress.blank();
        progress.event("StatsLine", "Done. PASS=" + ok + " WARN=0 ERROR=" + error + " SKIP=" + skip + " TOTAL=" + results.size(),
                Map.of("stats", Map.of("pass", ok, "warn", 0, "error", error, "skip", skip, "total", results.size())));
        return results;
    }

    private NodeResult cloneOne(Session s, CompiledNode n, StateManifest previous, int index, int total) {
        Instant started = Instant.now();
        String what = n.node().type().label() + " " + n.name();
        Relation target = n.relation();
        Optional<Relation> source = previous.relation(n.uniqueId());
        String rendered = ws.adapter().render(target);
        if (source.isEmpty()) return skip(n, index, total, what, "not in the --state manifest");
        if (source.get().equals(target)) return skip(n, index, total, what, "the --state relation is this target's " + rendered);
        Optional<RelationKind> existing = s.relationKind(target);
        if (existing.isPresent() && !ws.invocation().fullRefresh()) {
            return skip(n, index, total, what, rendered + " exists (--full-refresh replaces it)");
        }
        Optional<RelationKind> sourceKind = s.relationKind(source.get());
        String from = ws.adapter().render(source.get());
        if (sourceKind.isEmpty()) {
            String error = "the --state relation " + from + " does not exist";
            progress.status(index, total, "ERROR cloning " + what, "ERROR");
            return new NodeResult(n.uniqueId(), NodeStatus.ERROR, "ERROR", started, Instant.now(), null, error, Map.of());
        }
        try {
            // One transaction where the warehouse has them: a failed clone leaves what the target had.
            s.transaction(CloneSql.statements(ws.adapter(), target, source.get(), sourceKind.get(), existing));
        } catch (dev.sluice.error.DatabaseException e) {
            progress.status(index, total, "ERROR cloning " + what, "ERROR");
            return new NodeResult(n.uniqueId(), NodeStatus.ERROR, "ERROR", started, Instant.now(), null,
                    e.getMessage().lines().findFirst().orElse(""), Map.of());
        }
        String how = CloneSql.zeroCopy(ws.adapter(), sourceKind.get()) ? "clone of " : "view on ";
        progress.status(index, total, "OK " + rendered + " is a " + how + from, "CLONE");
        return new NodeResult(n.uniqueId(), NodeStatus.SUCCESS, "CLONE", started, Instant.now(), null, null,
                Map.of("_message", "CLONE", "code", "CLONE"));
    }

    private NodeResult skip(CompiledNode n, int index, int total, String what, String why) {
        progress.status(index, total, "SKIP " + what + ": " + why, "SKIP");
        return NodeResult.skipped(n.uniqueId(), why);
    }
}
