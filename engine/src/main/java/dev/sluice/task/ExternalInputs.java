package dev.sluice.task;

import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.Progress;
import dev.sluice.external.ExternalLoader;
import dev.sluice.project.SourceTable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * External sources are loaded when the first node that reads them is about to run, not before the run: a node
 * of the same run (a generator) may write the file first. The loader skips a file whose content is loaded.
 */
final class ExternalInputs {
    private final ExternalLoader loader;
    private final Progress progress;

    ExternalInputs(Workspace ws, Progress progress) {
        this.loader = new ExternalLoader(ws.adapter(), ws.target().database(), ws.target().schema());
        this.progress = progress;
    }

    /** The job, loading first the external sources its node reads; the job itself when it reads none. */
    NodeJob wrap(Manifest m, CompiledNode n, NodeJob job) {
        Map<String, SourceTable> external = new LinkedHashMap<>();
        for (String p : n.dependsOn()) {
            SourceTable s = m.sources().get(p);
            if (s != null && s.external() != null) external.put(p, s);
        }
        if (external.isEmpty()) return job;
        // Loaded before the unchanged check too, since that check reads the loaded source.
        return PreparedJob.of(job, session -> external.forEach((id, s) -> {
            String done = loader.ensureLoaded(session, id, s);
            if (done != null) progress.line("External source " + s.sourceName() + "." + s.name() + ": " + done);
        }), true);
    }
}
