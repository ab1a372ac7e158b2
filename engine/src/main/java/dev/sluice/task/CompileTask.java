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

    public CompileTask(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress;
    }

    public Manifest execute(java.io.PrintStream out) {
        Manifest m;
        try (Session s = ws.lazySession()) {
            m = ws.compile(s);
        }
        m.warnings().forEach(w -> progress.line("[WARNING]: " + w));
        Artifacts.writeManifest(ws, m);
        ProjectGraph graph = new ProjectGraph(m);
        Invocation inv = ws.invocation();
        List<CompiledNode> chosen = graph.select(inv.select(), inv.exclude(), null).stream()
                .map(m::node).filter(n -> n != null).toList();
        progress.line("Compiled " + m.nodes().size() + " nodes to " + ws.config().root().relativize(
                ws.config().targetDir().resolve("compiled")));
        if (!inv.select().isEmpty() && chosen.size() == 1) {
            CompiledNode n = chosen.get(0);
            progress.line("Compiled node '" + n.name() + "' is:");
            out.println(n.compiledSql());
        }
        return m;
    }
}
