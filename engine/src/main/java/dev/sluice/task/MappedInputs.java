package dev.sluice.task;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.Progress;
import dev.sluice.project.SchemaMap;
import dev.sluice.project.SourceTable;
import dev.sluice.quality.SchemaMapCheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Validates the source tables of schema_map.yml's staging models against the warehouse. A table that exists
 * before the run (or that this run does not build) is checked before any SQL runs, so a missing table or column
 * stops the command naming schema_map.yml and its line (exit 2); a table this run builds first (a generator's
 * output) is checked on the staging model's session just before it runs, and fails that node.
 */
final class MappedInputs {
    private final Workspace ws;
    private final Progress progress;

    MappedInputs(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress;
    }

    /** @return the checks left for the run, by the unique id of the staging model they guard */
    Map<String, Consumer<Session>> checkBeforeRun(Manifest m, Set<String> chosen) {
        SchemaMap map = SchemaMap.load(ws.config().root(), java.nio.file.Path.of(SchemaMap.FILE_NAME), new ArrayList<>());
        Map<String, Consumer<Session>> later = new LinkedHashMap<>();
        if (map == null) return later;
        List<SchemaMapCheck.Finding> now = new ArrayList<>();
        for (SchemaMap.Table t : map.tables()) {
            String id = "model." + m.project().name() + "." + t.model();
            CompiledNode n = m.node(id);
            if (!chosen.contains(id) || n == null || m.compileErrors().containsKey(id)) continue;
            String inputId = inputId(m, n, t);
            if (inputId == null) continue;
            Relation input = relation(m, inputId);
            if (builtInThisRun(m, inputId, chosen)) {
                later.put(id, s -> report(SchemaMapCheck.check(map, t, input, s)));
            } else {
                try (Session s = ws.openSession()) {
                    now.addAll(SchemaMapCheck.check(map, t, input, s));
                }
            }
        }
        report(now);
        return later;
    }

    /** Prints the warnings; the errors stop what is running, all of them in one message. */
    private void report(List<SchemaMapCheck.Finding> findings) {
        List<SchemaMapCheck.Finding> errors = new ArrayList<>();
        for (SchemaMapCheck.Finding f : findings) {
            if (f.error()) errors.add(f);
            else progress.warn("SchemaMapWarning", f.toString());
        }
        if (errors.isEmpty()) return;
        StringBuilder msg = new StringBuilder(errors.get(0).message());
        for (SchemaMapCheck.Finding f : errors.subList(1, errors.size())) msg.append("; ").append(f);
        throw new ConfigException(msg.toString(), errors.get(0).at());
    }

    /** The node or source the staging model reads its rows from (its ref / source, found among its parents). */
    private static String inputId(Manifest m, CompiledNode n, SchemaMap.Table t) {
        for (String p : n.dependsOn()) {
            if (p.startsWith("source.")) {
                SourceTable s = m.sources().get(p);
                if (s != null && t.input().equals("source('" + s.sourceName() + "', '" + s.name() + "')")) return p;
            } else {
                CompiledNode parent = m.node(p);
                if (parent != null && t.input().equals("ref('" + parent.name() + "')")) return p;
            }
        }
        return null;
    }

    private static Relation relation(Manifest m, String id) {
        if (id.startsWith("source.")) {
            SourceTable s = m.sources().get(id);
            return new Relation(s.database(), s.schema(), s.identifier());
        }
        return m.node(id).relation();
    }

    /** A parent selected in this run, or an operator output whose operator is. */
    private static boolean builtInThisRun(Manifest m, String id, Set<String> chosen) {
        if (chosen.contains(id)) return true;
        CompiledNode n = m.node(id);
        return n != null && n.node().isOperatorOutput() && chosen.contains(n.node().testedId());
    }

    /** The job with the check of its input run first, on its own session. */
    static NodeJob checked(NodeJob job, Consumer<Session> check) {
        return PreparedJob.of(job, check, false);
    }
}
