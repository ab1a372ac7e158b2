package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.exec.Progress;

import java.util.List;

/** compile: renders every node to target/compiled and writes the manifest; shows the SQL of a single selection. */
public final class CompileTask {
    private final Workspace ws;
    private final Progress progress;

    /** Checks operator configs against what these operators read; null checks nothing. */
    private final dev.sluice.operator.Operators operators;

    public CompileTask(Workspace ws, Progress progress) {
        this(ws, progress, null);
    }

    /** What this compile read, digested before it read it, when it may be recorded (see UnchangedCompile); or null. */
    private final UnchangedCompile.Inputs inputs;

    public CompileTask(Workspace ws, Progress progress, dev.sluice.operator.Operators operators) {
        this(ws, progress, operators, null);
    }

    public CompileTask(Workspace ws, Progress progress, dev.sluice.operator.Operators operators,
                       UnchangedCompile.Inputs inputs) {
        this.ws = ws;
        this.progress = progress.masking(ws.secrets()::mask);
        this.operators = operators;
        this.inputs = inputs;
    }

    public Manifest execute(java.io.PrintStream out) {
        try {
            return executeUnmasked(out);
        } catch (dev.sluice.error.EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    private Manifest executeUnmasked(java.io.PrintStream out) {
        dev.sluice.state.StateManifest previous = StateRun.previous(ws);
        Manifest m;
        boolean asked;
        try (Session s = ws.lazySession()) {
            m = ws.compile(s);
            asked = !(s instanceof dev.sluice.adapter.LazySession lazy) || lazy.connected();
        }
        ws.reportParseCache(progress);
        List<String> warnings = new java.util.ArrayList<>(m.warnings());
        // print(), log(info=True) and exceptions.warn of the templates, shown as build shows them.
        List<String> messages = ws.templateMessages();
        if (operators != null) warnings.addAll(ws.operatorConfigWarnings(operators));
        m.warnings().forEach(w -> progress.warn("ProjectWarning", w));
        messages.forEach(progress::template);
        warnings.subList(m.warnings().size(), warnings.size()).forEach(w -> progress.warn("ProjectWarning", w));
        Object tree = Artifacts.manifestTree(ws, m);
        Artifacts.writeManifestTree(ws, tree);
        Invocation inv = ws.invocation();
        java.util.Set<String> selected = inv.selectsEverything() ? ProjectGraph.everything(m)
                : StateRun.graph(ws, m, previous, tree).select(inv, null, progress);
        m = StateRun.defer(ws, m, selected, previous, progress);
        List<CompiledNode> chosen = selected.stream().map(m::node).filter(n -> n != null).toList();
        // Only what was selected must compile; a broken model elsewhere does not stop the command.
        m.requireCompiled(chosen.stream().map(CompiledNode::uniqueId).toList());
        // Recorded only when the next compile could keep this one's outputs; else any earlier stamp is removed.
        int[] parsed = ws.parseCacheCounts();
        String why = inputs == null ? "its inputs were not digested (no parse cache before it, or a file could not be read)"
                : previous != null ? "--state was given" : asked ? "a template asked the warehouse"
                : !messages.isEmpty() ? "templates printed messages"
                : ws.templateRenders() != 0 ? ws.templateRenders() + " templates were rendered"
                : !ws.parseCacheUnchanged() || parsed == null || parsed[0] != parsed[1] ? "not every node's parse was cached"
                : null;
        UnchangedCompile.record(ws, inputs, why, progress, parsed == null ? 0 : parsed[1], m.nodes().size(),
                warnings.stream().map(ws.secrets()::mask).toList());
        progress.line("Compiled " + m.nodes().size() + " nodes to " + ws.config().root().relativize(
                ws.config().targetDir().resolve("compiled")));
        if (!inv.select().isEmpty() && chosen.size() == 1) {
            CompiledNode n = chosen.get(0);
            progress.line("Compiled node '" + n.name() + "' is:");
            out.println(ws.secrets().mask(n.compiledSql()));
        }
        return m;
    }
}
