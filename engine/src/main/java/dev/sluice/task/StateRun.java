package dev.sluice.task;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.Progress;
import dev.sluice.project.NodeType;
import dev.sluice.state.StateDefer;
import dev.sluice.state.StateFlags;
import dev.sluice.state.StateManifest;
import dev.sluice.state.StateSelection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** --state, state:/result: selection and --defer for the commands that select nodes. */
final class StateRun {
    private StateRun() {
    }

    /**
     * The --state folder's artifacts, read before this run writes its own (the folder may be this target's), or
     * null without --state.
     */
    static StateManifest previous(Workspace ws) {
        StateFlags f = ws.invocation().flags().state();
        if (!f.present()) {
            if (f.defer()) throw new ConfigException("--defer needs --state DIR (the target/ folder of the run to defer to)");
            return null;
        }
        Path dir = f.stateDir().isAbsolute() ? f.stateDir() : ws.invocation().projectDir().resolve(f.stateDir());
        return StateManifest.read(java.nio.file.Files.isDirectory(f.stateDir()) ? f.stateDir() : dir);
    }

    /**
     * The project graph with state:, result: and source_status: selection (the last over this run's
     * target/sources.json) against the given manifest tree ({@link Artifacts#manifestTree}). Only a state: term
     * needs the current manifest: it is then written to bytes and read back as the --state side is read, so both
     * sides are compared as manifest.json has them.
     */
    static ProjectGraph graph(Workspace ws, Manifest m, StateManifest previous, Object tree) {
        return new ProjectGraph(m, StateSelection.methods(previous, () -> StateManifest.ofJson(Artifacts.manifestBytes(tree)),
                ws.config().targetDir()));
    }

    /**
     * With --defer: the manifest compiled again with ref() to every unselected model, seed and snapshot that the
     * target lacks (or every one, with --favor-state) rendering the state's relation; the manifest as it was otherwise.
     */
    static Manifest defer(Workspace ws, Manifest m, Set<String> chosen, StateManifest previous, Progress progress) {
        StateFlags f = ws.invocation().flags().state();
        if (previous == null || !f.defer()) return m;
        List<StateDefer.Candidate> unselected = new ArrayList<>();
        for (CompiledNode n : m.nodes().values()) {
            NodeType t = n.node().type();
            if ((t == NodeType.MODEL || t == NodeType.SEED || t == NodeType.SNAPSHOT) && !chosen.contains(n.uniqueId())) {
                unselected.add(new StateDefer.Candidate(n.uniqueId(), n.relation(), n.isEphemeral()));
            }
        }
        try (Session s = ws.openSession()) {
            Map<String, Relation> deferred = StateDefer.relations(previous, unselected, f.favorState(),
                    r -> s.relationKind(r).isPresent());
            if (deferred.isEmpty()) return m;
            if (progress != null) progress.log().info("DeferRelations", "Deferring " + deferred.size() + " unselected node(s) to the state in "
                    + previous.dir(), Map.of("count", deferred.size()));
            Manifest again = ws.compile(s, deferred);
            Artifacts.writeManifest(ws, again);
            return again;
        }
    }
}
