package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.exec.Progress;
import dev.sluice.project.ProjectConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * parse: reads and renders the whole project, writes target/manifest.json and target/perf_info.json (dbt's
 * ManifestLoaderInfo fields), and never opens a warehouse connection. Any node that does not render fails the
 * command, as a parse error does in dbt.
 */
public final class ParseTask {
    /** The files each parser reads, by the folders of the project file they live in. */
    private static final List<String> FILE_ENDINGS = List.of(".sql", ".yml", ".yaml", ".csv", ".md", ".py");

    private final Invocation inv;
    private final Progress progress;

    /** Checks operator configs against what these operators read; null checks nothing. */
    private final dev.sluice.operator.Operators operators;

    public ParseTask(Invocation inv, Progress progress) {
        this(inv, progress, null);
    }

    public ParseTask(Invocation inv, Progress progress, dev.sluice.operator.Operators operators) {
        this.inv = inv;
        this.progress = progress;
        this.operators = operators;
    }

    /** @return what was written to perf_info.json: what the parse counted and how long its phases took */
    public Map<String, Object> execute() {
        long start = System.nanoTime();
        Map<String, Double> phases = new LinkedHashMap<>();
        Manifest m;
        ProjectConfig config;
        try (Workspace ws = Workspace.open(inv, (phase, nanos) -> phases.put(phase, nanos / 1e9))) {
            try {
                config = ws.config();
                long t = System.nanoTime();
                m = ws.compileForListing();
                ws.reportParseCache(progress);
                // Every node must render: parse is how a user checks the whole project before a run.
                m.requireCompiled(m.nodes().values().stream().map(CompiledNode::uniqueId).toList());
                phases.put("process_manifest", (System.nanoTime() - t) / 1e9);
                m.warnings().forEach(w -> progress.warn("ProjectWarning", w));
                if (operators != null) ws.operatorConfigWarnings(operators).forEach(w -> progress.warn("ProjectWarning", w));
                Artifacts.writeManifest(ws, m);
            } catch (dev.sluice.error.EngineException e) {
                throw e.masked(ws.secrets()::mask);
            }
            Map<String, Object> perf = perfInfo(ws, phases, (System.nanoTime() - start) / 1e9);
            write(config.targetDir().resolve("perf_info.json"), perf);
            progress.line("Parsed " + m.nodes().size() + " nodes and " + m.sources().size() + " sources from "
                    + perf.get("path_count") + " files; wrote " + config.root().relativize(config.targetDir().resolve("manifest.json"))
                    + " and " + config.root().relativize(config.targetDir().resolve("perf_info.json")));
            return perf;
        }
    }

    private static Map<String, Object> perfInfo(Workspace ws, Map<String, Double> phases, double total) {
        List<Map<String, Object>> projects = new ArrayList<>();
        int paths = 0;
        projects.add(project(ws.config()));
        for (ProjectConfig pkg : ws.project().packages().values()) projects.add(project(pkg));
        for (Map<String, Object> p : projects) paths += (Integer) p.get("parsed_path_count");
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("path_count", paths);
        // No partial parsing: every file is read and parsed on every invocation.
        j.put("parsed_path_count", paths);
        // Refs and configs come from rendering each template, never from a static pre-pass over the SQL.
        j.put("static_analysis_path_count", 0);
        j.put("static_analysis_parsed_path_count", 0);
        int[] cache = ws.parseCacheCounts();
        j.put("is_partial_parse_enabled", cache != null);
        // Nodes whose parse came from target/partial_parse.json, and nodes rendered afresh.
        j.put("partial_parse_reused_nodes", cache == null ? 0 : cache[0]);
        j.put("partial_parse_parsed_nodes", cache == null ? null : cache[1] - cache[0]);
        j.put("is_static_analysis_enabled", false);
        j.put("read_files_elapsed", phases.get("read_files"));
        j.put("load_macros_elapsed", phases.get("load_macros"));
        j.put("parse_project_elapsed", phases.get("parse_project"));
        // Sources are read with the schema files; their time is part of parse_project_elapsed.
        j.put("patch_sources_elapsed", null);
        j.put("process_manifest_elapsed", phases.get("process_manifest"));
        j.put("load_all_elapsed", total);
        j.put("projects", projects);
        return j;
    }

    /** One project's files by parser; per-parser timings are not measured, so they are left out. */
    private static Map<String, Object> project(ProjectConfig c) {
        Map<String, List<String>> folders = new LinkedHashMap<>();
        folders.put("model", c.modelPaths());
        folders.put("seed", c.seedPaths());
        folders.put("snapshot", c.snapshotPaths());
        folders.put("test", c.testPaths());
        folders.put("macro", c.macroPaths());
        folders.put("docs", c.docsPaths());
        List<Map<String, Object>> parsers = new ArrayList<>();
        java.util.Set<Path> all = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> e : folders.entrySet()) {
            java.util.Set<Path> files = new java.util.HashSet<>();
            for (String folder : e.getValue()) files.addAll(files(c.root().resolve(folder)));
            files.removeAll(all);
            all.addAll(files);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("parser", e.getKey());
            p.put("parsed_path_count", files.size());
            parsers.add(p);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("project_name", c.name());
        j.put("parsed_path_count", all.size());
        j.put("parsers", parsers);
        return j;
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> FILE_ENDINGS.stream().anyMatch(end -> p.getFileName().toString().endsWith(end)))
                    .map(p -> p.toAbsolutePath().normalize()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
