package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeResult;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.SourceTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes target/manifest.json and target/run_results.json in dbt's shapes, so dbt tooling can read them. */
final class Artifacts {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * manifest.json without indentation, as dbt writes it: for a large project it is hundreds of megabytes, and
     * indentation adds 40% to what is written (10,000 generated models: 27 MB compact, 39 MB indented).
     */
    private static final ObjectMapper COMPACT = new ObjectMapper()
            // Node entries write their config values one by one into a buffer: no flush after each.
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private Artifacts() {
    }

    /** Every macro of the project and its packages, keyed macro.package.name as in dbt's manifest. */
    private static Map<String, Object> macros(Manifest m, dev.sluice.state.MacroIndex index) {
        Map<String, Object> out = new TreeMap<>();
        for (dev.sluice.template.MacroFile f : m.project().macroFiles()) {
            String pkg = f.packageName() == null ? m.project().name() : f.packageName();
            for (String name : dev.sluice.template.TemplateEngine.macroNames(f.path(), f.source())) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("unique_id", "macro." + pkg + "." + name);
                j.put("resource_type", "macro");
                j.put("name", name);
                j.put("package_name", pkg);
                j.put("path", f.path().toString());
                j.put("original_file_path", f.path().toString());
                dev.sluice.state.MacroIndex.Macro found = index.macros().get("macro." + pkg + "." + name);
                j.put("macro_sql", found == null ? "" : found.sql());
                j.put("depends_on", ordered("macros", found == null ? List.of() : index.calls(found.sql().substring(
                        found.sql().indexOf("%}") + 2), pkg)));
                j.put("description", "");
                j.put("meta", Map.of());
                j.put("arguments", List.of());
                out.put("macro." + pkg + "." + name, j);
            }
        }
        return out;
    }

    /**
     * A small map that keeps the order its keys are given in. Map.of's order changes from one JVM start to the
     * next, which made two compiles of the same project write manifests that differ in bytes.
     */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return java.util.Collections.unmodifiableMap(out);
    }

    static void writeManifest(Workspace ws, Manifest m) {
        writeManifestTree(ws, manifestTree(ws, m));
    }

    static void writeManifestTree(Workspace ws, Object tree) {
        write(ws.config().targetDir().resolve("manifest.json"), tree, COMPACT);
    }

    /** manifest.json's bytes for a tree of {@link #manifestTree}. */
    static byte[] manifestBytes(Object tree) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 20);
        try {
            CompactJson.write(out, tree, COMPACT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * What manifest.json holds (secrets masked), as a map of its keys whose nodes and unit_tests are given as the
     * compiled records with their writers ({@link CompactJson.Entries}): their entries are written straight from
     * the records and never held as maps. Only {@link CompactJson} writes it; the current side of a --state
     * comparison reads the written bytes back ({@link StateRun#graph}).
     */
    static Object manifestTree(Workspace ws, Manifest m) {
        dev.sluice.state.MacroIndex macroIndex = new dev.sluice.state.MacroIndex(m.project().name(), m.project().macroFiles());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", metadata(ws, "manifest/v12"));
        List<CompiledNode> nodes = new ArrayList<>();
        List<CompiledNode> unitTests = new ArrayList<>();
        Map<String, Object> exposures = new LinkedHashMap<>();
        // parent_map and child_map are sorted by id: collected in hash maps, their ids sorted once and written as
        // entries like the nodes, not kept sorted on every insert and then copied into chunk maps.
        Map<String, List<String>> parentMap = new java.util.HashMap<>();
        Map<String, List<String>> childMap = new java.util.HashMap<>();
        m.sources().keySet().forEach(id -> childMap.put(id, new ArrayList<>()));
        for (CompiledNode n : m.nodes().values()) {
            childMap.putIfAbsent(n.uniqueId(), new ArrayList<>());
            parentMap.put(n.uniqueId(), n.dependsOn());
        }
        for (CompiledNode n : m.nodes().values()) {
            for (String d : n.dependsOn()) childMap.computeIfAbsent(d, k -> new ArrayList<>()).add(n.uniqueId());
            if (n.node().type() == dev.sluice.project.NodeType.EXPOSURE) {
                exposures.put(n.uniqueId(), exposure(n));
            } else if (n.node().type() == dev.sluice.project.NodeType.UNIT_TEST) {
                unitTests.add(n);
            } else {
                nodes.add(n);
            }
        }
        ManifestNodes writer = new ManifestNodes(ws, macroIndex);
        root.put("nodes", new CompactJson.Entries<>(nodes, writer::key, writer::write));
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Map.Entry<String, SourceTable> e : m.sources().entrySet()) {
            SourceTable s = e.getValue();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", e.getKey());
            j.put("resource_type", "source");
            String pkg = s.packageName() == null ? m.project().name() : s.packageName();
            j.put("package_name", pkg);
            String file = s.location() == null || s.location().file() == null ? "" : s.location().file().toString();
            j.put("path", file);
            j.put("original_file_path", file);
            j.put("fqn", List.of(pkg, s.sourceName(), s.name()));
            j.put("source_name", s.sourceName());
            j.put("source_description", "");
            j.put("loader", "");
            j.put("name", s.name());
            j.put("database", s.database());
            j.put("schema", s.schema());
            j.put("identifier", s.identifier());
            j.put("relation_name", ws.adapter().render(new dev.sluice.adapter.Relation(s.database(), s.schema(), s.identifier())));
            j.put("description", s.description());
            j.put("columns", columns(s.columns(), List.of()));
            j.put("meta", s.meta());
            j.put("tags", List.of());
            j.put("loaded_at_field", s.freshness().loadedAtField());
            j.put("loaded_at_query", s.freshness().loadedAtQuery());
            j.put("freshness", s.freshness().criteria() == null ? null : s.freshness().criteria().json());
            sources.put(e.getKey(), j);
        }
        root.put("sources", sources);
        Map<String, Object> docs = new TreeMap<>();
        m.project().docs().forEach((name, text) -> {
            dev.sluice.project.DocBlock b = m.project().docBlocks().get(name);
            String pkg = b == null ? m.project().name() : b.packageName();
            String file = b == null ? "" : b.file().toString();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", name);
            j.put("resource_type", "doc");
            j.put("package_name", pkg);
            j.put("path", b == null ? "" : resourcePath(b.file()));
            j.put("original_file_path", file);
            j.put("unique_id", "doc." + pkg + "." + name);
            j.put("block_contents", text);
            docs.put("doc." + pkg + "." + name, j);
        });
        root.put("docs", docs);
        root.put("macros", macros(m, macroIndex));
        // The resource kinds dbt's manifest has; those this engine does not read are empty, and their YAML blocks
        // get a warning when a project has them.
        root.put("exposures", exposures);
        root.put("metrics", Map.of());
        Map<String, Object> groups = new LinkedHashMap<>();
        Map<String, List<String>> groupMap = new TreeMap<>();
        m.project().groups().values().forEach(g -> {
            String id = "group." + m.project().name() + "." + g.name();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", g.name());
            j.put("resource_type", "group");
            j.put("package_name", m.project().name());
            j.put("path", g.location().file().toString());
            j.put("original_file_path", g.location().file().toString());
            j.put("unique_id", id);
            j.put("owner", g.owner());
            j.put("description", g.description());
            groups.put(id, j);
        });
        for (CompiledNode n : m.nodes().values()) {
            Object g = n.config().get("group");
            if (g != null && n.node().type() != dev.sluice.project.NodeType.EXPOSURE) {
                groupMap.computeIfAbsent(String.valueOf(g), k -> new ArrayList<>()).add(n.uniqueId());
            }
        }
        root.put("groups", groups);
        root.put("selectors", dev.sluice.graph.YamlSelectors.load(ws.config().root(),
                () -> Workspace.yamlRenderer(ws.invocation())).manifestEntries());
        root.put("disabled", Map.of());
        root.put("semantic_models", Map.of());
        // Few in any project: each entry is built as a map (as dbt's shape has it) when it is written.
        root.put("unit_tests", new CompactJson.Entries<>(unitTests, writer::key,
                (n, g) -> g.writeObject(ws.secrets().maskTree(unitTestEntry(ws, m, n, macroIndex)))));
        root.put("saved_queries", Map.of());
        root.put("parent_map", sortedEntries(ws, parentMap));
        root.put("child_map", sortedEntries(ws, childMap));
        root.put("group_map", groupMap);
        return ws.secrets().maskTree(root);
    }

    /** A map of ids to ids, written in the order of its keys, each key and id masked as the tree's were. */
    private static CompactJson.Entries<String> sortedEntries(Workspace ws, Map<String, List<String>> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        java.util.Collections.sort(keys);
        return new CompactJson.Entries<>(keys, ws.secrets()::mask, (k, g) -> g.writeObject(ws.secrets().maskTree(map.get(k))));
    }

    /**
     * Engine facts a node's manifest entry carries beyond dbt's: dbt's schema (manifest/v12) allows no extra keys
     * on a node but any in its config, so they sit in config under this key. state:modified.configs ignores it.
     */
    static final String ENGINE_FACTS = "sluice";

    /** A unit test as dbt's manifest has it: the model, its given inputs and expected rows, its overrides. */
    private static Map<String, Object> unitTestEntry(Workspace ws, Manifest m, CompiledNode n, dev.sluice.state.MacroIndex macroIndex) {
        dev.sluice.compile.UnitTestPlan plan = m.unitTests().get(n.uniqueId());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("unique_id", n.uniqueId());
        j.put("resource_type", "unit_test");
        j.put("name", n.name());
        j.put("package_name", n.node().packageName());
        j.put("path", resourcePath(n.node().file()));
        j.put("original_file_path", n.node().file().toString());
        j.put("fqn", n.node().fqn());
        j.put("description", n.node().description());
        j.put("schema", n.relation().schema());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tags", dev.sluice.project.Configs.strings(n.config().get("tags")));
        config.put("meta", n.config().getOrDefault("meta", Map.of()));
        config.put("enabled", true);
        j.put("config", config);
        j.put("depends_on", ordered("macros", macroIndex.calls(n.node().rawCode(), n.node().packageName()), "nodes", n.dependsOn()));
        j.put("checksum", dev.sluice.state.NodeFacts.checksum(ws.config().root(), n.node()).get("checksum"));
        if (plan == null) {
            j.put("model", null);
            j.put("given", List.of());
            j.put("expect", ordered("rows", List.of(), "format", "dict"));
            return j;
        }
        dev.sluice.project.UnitTestSpec spec = plan.spec();
        j.put("model", spec.model());
        if (spec.version() != null) j.put("version", spec.version());
        if (spec.choosesVersions()) {
            Map<String, Object> vs = new LinkedHashMap<>();
            if (spec.includeVersions() != null) vs.put("include", spec.includeVersions());
            if (spec.excludeVersions() != null) vs.put("exclude", spec.excludeVersions());
            j.put("versions", vs);
        }
        List<Object> given = new ArrayList<>();
        for (dev.sluice.project.UnitTestSpec.Given g : spec.given()) {
            Map<String, Object> gj = fixture(g.fixture());
            gj.put("input", g.input());
            given.add(gj);
        }
        j.put("given", given);
        j.put("expect", fixture(spec.expect()));
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("macros", spec.macroOverrides());
        overrides.put("vars", spec.varOverrides());
        overrides.put("env_vars", spec.envVarOverrides());
        j.put("overrides", overrides);
        return j;
    }

    /** Rows of a unit test fixture in dbt's shape: dict rows as a list, csv and sql as their text. */
    private static Map<String, Object> fixture(dev.sluice.project.UnitTestSpec.Fixture f) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("rows", "dict".equals(f.format()) ? f.rows() : f.text());
        j.put("format", f.format());
        j.put("fixture", null);
        return j;
    }

    /** A file's path below its resource folder (models/, seeds/, ...), as dbt's "path" has it. */
    static String resourcePath(Path file) {
        return file.getNameCount() > 1 ? file.subpath(1, file.getNameCount()).toString() : file.toString();
    }

    /** An exposure as dbt's manifest has it: its properties, parents split into nodes, refs and sources. */
    private static Map<String, Object> exposure(CompiledNode n) {
        dev.sluice.project.ExposureSpec e = (dev.sluice.project.ExposureSpec) n.config().get(dev.sluice.project.ProjectLoader.EXPOSURE);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", n.name());
        j.put("resource_type", "exposure");
        j.put("package_name", n.node().packageName());
        j.put("path", n.node().file().toString());
        j.put("original_file_path", n.node().file().toString());
        j.put("unique_id", n.uniqueId());
        j.put("fqn", n.node().fqn());
        j.put("type", e.type());
        j.put("owner", e.owner());
        j.put("description", e.description());
        j.put("label", e.label());
        j.put("maturity", e.maturity());
        j.put("meta", e.meta());
        j.put("tags", dev.sluice.project.Configs.strings(n.config().get("tags")));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", true);
        config.put("tags", dev.sluice.project.Configs.strings(n.config().get("tags")));
        config.put("meta", n.config().getOrDefault("meta", Map.of()));
        j.put("config", config);
        j.put("unrendered_config", e.config());
        j.put("url", e.url());
        j.put("depends_on", ordered("macros", List.of(), "nodes", n.dependsOn()));
        List<Object> refs = new ArrayList<>();
        List<Object> sources = new ArrayList<>();
        for (String d : n.dependsOn()) {
            String[] parts = d.split("\\.");
            if (d.startsWith("source.")) sources.add(List.of(parts[2], parts[parts.length - 1]));
            else refs.add(ordered("name", parts[parts.length - 1], "package", parts[1]));
        }
        j.put("refs", refs);
        j.put("sources", sources);
        j.put("metrics", List.of());
        j.put("created_at", 0);
        return j;
    }

    private static Map<String, Object> columns(List<ColumnSpec> documented, List<String> inferred) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : inferred) out.put(c, new LinkedHashMap<>(ordered("name", c, "description", "")));
        for (ColumnSpec c : documented) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", c.name());
            j.put("description", c.description());
            j.put("data_type", c.dataType());
            j.put("meta", c.meta());
            j.put("constraints", c.constraints().stream().map(k -> k.json()).toList());
            j.put("quote", c.quote() ? Boolean.TRUE : null);
            j.put("tags", c.tags());
            out.put(c.name(), j);
        }
        return out;
    }

    static void writeRunResults(Workspace ws, Manifest m, List<NodeResult> results, double elapsed) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> md = metadata(ws, "run-results/v6");
        root.put("metadata", md);
        List<Object> rs = new ArrayList<>();
        for (NodeResult r : results) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", r.uniqueId());
            j.put("status", r.status().json());
            j.put("timing", List.of(ordered("name", "execute", "started_at", String.valueOf(r.startedAt()),
                    "completed_at", String.valueOf(r.completedAt()))));
            j.put("thread_id", "Thread-1");
            j.put("execution_time", r.seconds());
            j.put("message", r.error() != null ? r.error() : r.message());
            j.put("failures", r.failures());
            j.put("adapter_response", r.adapterResponse());
            CompiledNode n = m.node(r.uniqueId());
            j.put("compiled", n != null && n.compiledSql() != null);
            j.put("compiled_code", n == null ? null : n.compiledSql());
            j.put("relation_name", n == null ? null : ws.adapter().render(n.relation()));
            rs.add(j);
        }
        root.put("results", rs);
        root.put("elapsed_time", elapsed);
        Map<String, Object> args = new LinkedHashMap<>(ws.invocationArgs());
        // The run's --tag labels are arguments of the invocation (run_results' metadata allows no keys beyond dbt's).
        args.put("tags", ws.invocation().flags().tags().values());
        root.put("args", args);
        write(ws.config().targetDir().resolve("run_results.json"), ws.secrets().maskTree(root));
    }

    private static Map<String, Object> metadata(Workspace ws, String version) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/" + version + ".json");
        md.put("generated_at", Instant.now().toString());
        md.put("invocation_id", ws.invocationId());
        md.put("dbt_version", dev.sluice.log.Version.current().version());
        md.put("invocation_started_at", ws.startedAt().toString());
        md.put("env", Map.of());
        if (version.startsWith("manifest/")) {
            // Only the manifest's metadata has these in dbt's schemas; the others allow no keys beyond dbt's.
            md.put("project_name", ws.config().name());
            md.put("adapter_type", ws.adapter().type());
        }
        return md;
    }

    static void write(Path file, Object value) {
        write(file, value, JSON);
    }

    private static void write(Path file, Object value, ObjectMapper json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            if (json == COMPACT) {
                try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                    CompactJson.write(out, value, json);
                }
            } else {
                json.writeValue(tmp.toFile(), value);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
