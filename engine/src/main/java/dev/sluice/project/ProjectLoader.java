package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.template.MacroFile;
import dev.sluice.template.SnapshotBlock;
import dev.sluice.template.TemplateEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds a project's models, seeds, snapshots, tests, macros and schema files and turns them into nodes. */
public final class ProjectLoader {
    /**
     * A loaded project and how many descriptions its load rendered (doc() calls), which task.UnchangedCompile counts
     * as renders.
     */
    public record Loaded(Project project, long docRenders) {}
    /** Config key of an exposure node's {@link ExposureSpec}. */
    public static final String EXPOSURE = "exposure";

    public Project load(ProjectConfig cfg) {
        return load(cfg, null);
    }

    /** @param renderer renders Jinja in schema YAML values (target, var, env_var), or null to leave them as text */
    public Project load(ProjectConfig cfg, YamlRenderer renderer) {
        return loadCounted(cfg, renderer).project();
    }

    /** As {@link #load(ProjectConfig, YamlRenderer)}, with the number of descriptions rendered. */
    public Loaded loadCounted(ProjectConfig cfg, YamlRenderer renderer) {
        checkDbtVersion(cfg, null);
        List<ProjectConfig> installed = new InstalledPackages(cfg).load();
        Set<String> known = new TreeSet<>();
        known.add(cfg.name());
        installed.forEach(pc -> known.add(pc.name()));
        Loading rootLoad = new Loading(cfg, cfg, known, renderer);
        rootLoad.run();
        List<Node> nodes = new ArrayList<>(rootLoad.enabled());
        List<SourceTable> sources = new ArrayList<>(rootLoad.sources);
        List<MacroFile> macros = new ArrayList<>(rootLoad.macros);
        Map<String, String> docs = new TreeMap<>(rootLoad.docs);
        Map<String, DocBlock> docBlocks = new TreeMap<>(rootLoad.docBlocks);
        List<String> warnings = new ArrayList<>(rootLoad.warnings);
        Map<String, ProjectConfig> packages = new TreeMap<>();
        for (ProjectConfig pc : installed) {
            checkDbtVersion(pc, pc.name());
            Loading l = new Loading(pc, cfg, known, renderer);
            l.run();
            nodes.addAll(l.enabled());
            sources.addAll(l.sources);
            macros.addAll(l.macros);
            l.groups.forEach(rootLoad.groups::putIfAbsent);
            l.docs.forEach(docs::putIfAbsent);
            l.docBlocks.forEach(docBlocks::putIfAbsent);
            rootLoad.describedAt.putAll(l.describedAt);
            warnings.addAll(l.warnings);
            packages.put(pc.name(), pc);
        }
        // The root project's unit tests, of enabled models; a package's are its own business, as in dbt.
        Map<String, UnitTestSpec> unitTests = new LinkedHashMap<>();
        Set<String> ids = new java.util.HashSet<>(nodes.stream().map(Node::uniqueId).toList());
        rootLoad.unitTests.forEach((id, ut) -> {
            if (ids.contains(id)) unitTests.put(id, ut);
        });
        nodes.removeIf(n -> n.type() == NodeType.UNIT_TEST && !unitTests.containsKey(n.uniqueId()));
        Map<String, dev.sluice.error.SourceLocation> describedAt = new java.util.HashMap<>(rootLoad.describedAt);
        DocReferences docRefs = new DocReferences(docs, describedAt);
        nodes = docRefs.nodes(nodes);
        sources = docRefs.sources(sources);
        Map<String, GroupSpec> groups = new TreeMap<>(rootLoad.groups);
        Project project = new Project(cfg, List.copyOf(nodes), List.copyOf(sources), List.copyOf(macros),
                Map.copyOf(docs), List.copyOf(warnings), java.util.Collections.unmodifiableMap(packages),
                java.util.Collections.unmodifiableMap(unitTests), java.util.Collections.unmodifiableMap(groups),
                java.util.Collections.unmodifiableMap(docBlocks));
        return new Loaded(project, docRefs.renders());
    }

    /** Folder configs are rendered except hooks, which run later with the node's own context. */
    static boolean rendersInProjectFile(List<Object> path) {
        for (Object part : path) {
            if (part instanceof String k && Set.of("pre-hook", "post-hook", "pre_hook", "post_hook")
                    .contains(k.replaceFirst("^[+ ]+", ""))) {
                return false;
            }
        }
        return true;
    }

    /** require-dbt-version must allow dbt 1.10, the version this engine behaves as. */
    private static void checkDbtVersion(ProjectConfig pc, String pkg) {
        if (pc.requireDbtVersion().isEmpty()) return;
        VersionRange range;
        try {
            range = VersionRange.parse(pc.requireDbtVersion());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("require-dbt-version: " + e.getMessage(), SourceLocation.of(pc.file()));
        }
        if (!range.allowsLine(VersionRange.DBT_COMPATIBILITY)) {
            String who = pkg == null ? "this project" : "package '" + pkg + "'";
            throw new ConfigException(who + " requires dbt " + range + ", but this engine is compatible with dbt "
                    + VersionRange.DBT_COMPATIBILITY.major() + "." + VersionRange.DBT_COMPATIBILITY.minor() + ".x"
                    + (pkg == null ? "" : "; pin a version of the package that supports it in packages.yml"),
                    SourceLocation.of(pc.file()));
        }
    }

    /** State of loading one package (the root project or an installed package); discarded afterwards. */
    private static final class Loading {
        /** The project file of the package being loaded. */
        private final ProjectConfig cfg;
        /** The project being run: its folder configs override the package's own, and paths are relative to it. */
        private final ProjectConfig rootCfg;
        private final Path root;
        private final Path pkgRoot;
        private final Map<String, Node> byId = new LinkedHashMap<>();
        private final Map<String, Path> resourceNames = new TreeMap<>();
        private final List<SourceTable> sources = new ArrayList<>();
        private final List<MacroFile> macros = new ArrayList<>();
        private final Map<String, String> docs = new TreeMap<>();
        private final Map<String, DocBlock> docBlocks = new TreeMap<>();
        /** Where each node is described in a schema file, for errors in its description. */
        private final Map<String, dev.sluice.error.SourceLocation> describedAt = new java.util.HashMap<>();
        private final List<String> warnings = new ArrayList<>();
        /** Files the walks saw as regular files, not links (by the walk's own lstat), read without looking again. */
        private final Set<Path> plainFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Map<String, Integer> testNameCounts = new TreeMap<>();
        private final Map<String, UnitTestSpec> unitTests = new LinkedHashMap<>();
        private final Map<String, GroupSpec> groups = new TreeMap<>();

        /** The root project and the installed packages: the namespaces a generic test may name. */
        private final Set<String> knownPackages;

        private final YamlRenderer renderer;

        Loading(ProjectConfig cfg, ProjectConfig rootCfg, Set<String> knownPackages, YamlRenderer renderer) {
            this.knownPackages = knownPackages;
            this.renderer = renderer;
            this.cfg = cfg;
            this.rootCfg = rootCfg;
            this.root = rootCfg.root();
            this.pkgRoot = cfg.root();
        }

        private boolean isRoot() {
            return cfg == rootCfg;
        }

        private final Map<Path, Map<String, Map<String, Object>>> renderedConfigs = new java.util.HashMap<>();

        /**
         * A project file's folder configs with their Jinja rendered as dbt renders dbt_project.yml (target, var,
         * env_var; hooks are left for run time).
         */
        private Map<String, Map<String, Object>> nodeConfigs(ProjectConfig pc) {
            if (renderer == null) return pc.nodeConfigs();
            return renderedConfigs.computeIfAbsent(pc.file(), f -> {
                Yaml y = Yaml.load(pc.file(), rel(pc.file()));
                Map<String, Map<String, Object>> rendered = new LinkedHashMap<>();
                for (String type : List.of("models", "seeds", "tests", "data_tests", "snapshots", "sources", "operators")) {
                    Yaml section = y.get(type);
                    if (!section.isMap()) continue;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> tree = (Map<String, Object>) section.rendered(ProjectLoader::rendersInProjectFile,
                            renderer).value();
                    // data_tests: is dbt's newer name for tests:, merged the way ProjectConfigLoader merges them.
                    rendered.merge(type.equals("data_tests") ? "tests" : type, tree, (a, b) -> {
                        Map<String, Object> m = new LinkedHashMap<>(a);
                        m.putAll(b);
                        return m;
                    });
                }
                Map<String, Map<String, Object>> out = new LinkedHashMap<>(pc.nodeConfigs());
                out.putAll(rendered);
                return out;
            });
        }

        /** A macro file of this package; the root project's carry no package name. */
        private MacroFile macroFile(Path f) {
            return new MacroFile(rel(f), read(f), isRoot() ? null : cfg.name());
        }

        /**
         * Config the project files' folder trees give a node: the package's own dbt_project.yml, then the
         * root project's (whose models: my_package: ... reach package nodes), which wins, as in dbt.
         */
        private Map<String, Object> folderConfig(String section, List<String> fqn) {
            Map<String, Object> config = Configs.fromFolderTree(nodeConfigs(cfg).get(section), fqn);
            if (!isRoot()) Configs.merge(config, Configs.fromFolderTree(nodeConfigs(rootCfg).get(section), fqn));
            return config;
        }

        List<Node> enabled() {
            return byId.values().stream().filter(this::enabled).toList();
        }

        /** The schema files of this package, parsed in path order, with the warnings they gave in that order. */
        private record SchemaFiles(List<Path> files, List<SchemaFile> schemas, List<String> warnings) {
        }

        private SchemaFiles schemaFiles(Map<String, Path> fixtures) {
            List<String> yamlDirs = new ArrayList<>(cfg.modelPaths());
            yamlDirs.addAll(cfg.seedPaths());
            yamlDirs.addAll(cfg.snapshotPaths());
            List<Path> yamls = new ArrayList<>();
            // One walk per folder for both endings: the models folder holds every SQL file too (10,000 entries).
            for (String dir : yamlDirs) yamls.addAll(files(dir, ".yml", ".yaml"));
            yamls.sort(null);
            List<SchemaFile> schemas = new ArrayList<>();
            List<String> found = new ArrayList<>();
            UnitTestFixtures fixtureFiles = new UnitTestFixtures(fixtures, f -> read(root.resolve(f)));
            for (Path f : yamls) schemas.add(new SchemaFileParser(fixtureFiles).parse(f, rel(f), found, renderer));
            return new SchemaFiles(yamls, schemas, found);
        }

        /** The schema files parsed by the thread run() started; its failure is thrown here, as raised. */
        private static SchemaFiles join(java.util.concurrent.FutureTask<SchemaFiles> load) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return load.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        void run() {
            // tests/fixtures/ holds unit tests' fixture files (csv and sql), found by name: not singular tests.
            // Listed first so that the schema files, which name them, can be parsed on a thread of their own while
            // the SQL files are read (a 10,000-model schema file took a third of the load); a duplicate name is
            // still reported after the SQL files are read, so a broken project shows the same first error.
            Map<String, Path> fixtures = new java.util.TreeMap<>();
            RuntimeException fixtureError = null;
            try {
                for (String dir : cfg.testPaths()) {
                    for (String ext : List.of(".csv", ".sql")) {
                        for (Path f : files(dir + "/fixtures", ext)) {
                            Path prior = fixtures.putIfAbsent(f.getFileName().toString(), rel(f));
                            if (prior != null) {
                                throw new ConfigException("two fixture files are named " + f.getFileName() + ": " + prior
                                        + " and " + rel(f), SourceLocation.of(rel(f)));
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                fixtureError = e;
            }
            java.util.concurrent.FutureTask<SchemaFiles> schemaLoad = new java.util.concurrent.FutureTask<>(() -> schemaFiles(fixtures));
            if (fixtureError == null) {
                Thread t = new Thread(schemaLoad, "sluice-schema-load");
                // Nobody waits for it when the load fails earlier.
                t.setDaemon(true);
                t.start();
            }
            for (String dir : cfg.macroPaths()) {
                for (Path f : files(dir, ".sql")) macros.add(macroFile(f));
            }
            for (String dir : cfg.testPaths()) {
                // tests/generic/ holds {% test %} blocks, which are macros, not singular tests.
                for (Path f : files(dir + "/generic", ".sql")) macros.add(macroFile(f));
            }
            for (String dir : cfg.modelPaths()) {
                for (Path f : files(dir, ".sql")) addSqlNode(NodeType.MODEL, "models", dir, f, read(f), name(f), 0);
            }
            for (String dir : cfg.seedPaths()) {
                for (Path f : files(dir, ".csv")) addSqlNode(NodeType.SEED, "seeds", dir, f, "", name(f), 0);
            }
            for (String dir : cfg.snapshotPaths()) {
                for (Path f : files(dir, ".sql")) {
                    for (SnapshotBlock b : TemplateEngine.snapshotBlocks(rel(f), read(f))) {
                        addSqlNode(NodeType.SNAPSHOT, "snapshots", dir, f, b.body(), b.name(), b.line() - 1);
                    }
                }
            }
            if (fixtureError != null) throw fixtureError;
            for (String dir : cfg.testPaths()) {
                for (Path f : files(dir, ".sql")) {
                    if (pkgRel(f).startsWith(Path.of(dir, "generic")) || pkgRel(f).startsWith(Path.of(dir, "fixtures"))) continue;
                    addSqlNode(NodeType.TEST, "tests", dir, f, read(f), name(f), 0);
                }
            }
            List<String> docDirs = new ArrayList<>(cfg.modelPaths());
            docDirs.addAll(cfg.docsPaths());
            for (String dir : docDirs) {
                for (Path f : files(dir, ".md")) {
                    Map<String, String> blocks = TemplateEngine.docsBlocks(rel(f), read(f));
                    docs.putAll(blocks);
                    blocks.keySet().forEach(b -> docBlocks.put(b, new DocBlock(b, cfg.name(), rel(f))));
                }
            }
            SchemaFiles parsedSchemas = join(schemaLoad);
            List<Path> yamls = parsedSchemas.files();
            List<SchemaFile> schemas = parsedSchemas.schemas();
            warnings.addAll(parsedSchemas.warnings());
            warnings.addAll(KnownKeys.projectFile(Yaml.load(cfg.file(), rel(cfg.file()))));
            // Operators first: their outputs are models that schema files may document and test.
            for (int i = 0; i < yamls.size(); i++) {
                for (OperatorSpec op : schemas.get(i).operators()) addOperator(op, yamls.get(i));
            }
            // Masters and templates first: a segment may name one declared in any schema file.
            Map<String, MasterSegmentSpec> masters = new LinkedHashMap<>();
            Map<String, SegmentTemplateSpec> templates = new LinkedHashMap<>();
            for (int i = 0; i < yamls.size(); i++) {
                for (MasterSegmentSpec m : schemas.get(i).masterSegments()) {
                    addMaster(m, yamls.get(i));
                    masters.put(m.name(), m);
                }
            }
            for (SchemaFile schema : schemas) {
                for (SegmentTemplateSpec t : schema.segmentTemplates()) {
                    SegmentTemplateSpec prior = templates.putIfAbsent(t.name(), t);
                    if (prior != null) {
                        throw new ConfigException("segment template '" + t.name() + "' is declared twice (also at " + prior.location() + ")",
                                t.location());
                    }
                    // Checked here too, so that a template no segment uses yet is not left wrong.
                    SegmentTemplates.master(t.master(), masters, "segment template '" + t.name() + "'", t.location());
                }
            }
            List<SegmentSpec> segments = new ArrayList<>();
            for (int i = 0; i < yamls.size(); i++) {
                for (SegmentSpec seg : schemas.get(i).segments()) {
                    SegmentSpec full = seg.instance() == null ? seg : SegmentTemplates.instantiate(seg, templates, masters);
                    addSegment(full, yamls.get(i));
                    segments.add(full);
                }
            }
            if (!segments.isEmpty()) {
                addMembership(segments);
                addSegmentCatalog(segments);
            }
            for (MasterSegmentSpec m : masters.values()) {
                List<SegmentSpec> children = segments.stream().filter(sg -> sg.from().equals(m.name())).toList();
                if (!children.isEmpty()) addMasterCheck(m, children);
            }
            SchemaMap map = SchemaMap.load(pkgRoot, rel(pkgRoot.resolve(SchemaMap.FILE_NAME)), warnings);
            if (map != null) addMappedModels(map);
            for (int i = 0; i < yamls.size(); i++) applySchemaFile(schemas.get(i), yamls.get(i));
            for (int i = 0; i < yamls.size(); i++) {
                for (GroupSpec g : schemas.get(i).groups()) {
                    GroupSpec prior = groups.putIfAbsent(g.name(), g);
                    if (prior != null) {
                        throw new ConfigException("group '" + g.name() + "' is declared twice (also at " + prior.location()
                                + ")", g.location());
                    }
                }
                for (ExposureSpec e : schemas.get(i).exposures()) addExposure(e, yamls.get(i));
            }
            for (int i = 0; i < yamls.size(); i++) {
                for (UnitTestSpec ut : schemas.get(i).unitTests()) addUnitTest(ut, yamls.get(i));
            }
        }

        private void addSqlNode(NodeType type, String section, String dir, Path f, String code, String name,
                                int lineOffset) {
            Path relFile = rel(f);
            if (type != NodeType.TEST) {
                Path prior = resourceNames.putIfAbsent(name, relFile);
                if (prior != null) {
                    throw new ConfigException("two resources are named '" + name + "': " + prior + " and " + relFile
                            + "; names must be unique in a project", SourceLocation.of(relFile));
                }
            }
            List<String> fqn = new ArrayList<>();
            fqn.add(cfg.name());
            Path inDir = pkgRoot.resolve(dir).relativize(f).getParent();
            if (inDir != null) inDir.forEach(p -> fqn.add(p.toString()));
            fqn.add(name);
            Map<String, Object> config = folderConfig(section, fqn);
            String id = type.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, type, name, relFile, List.copyOf(fqn), code, config, "", List.of(), null, null,
                    lineOffset));
        }

        private void addOperator(OperatorSpec op, Path f) {
            Path relFile = rel(f);
            Path prior = resourceNames.putIfAbsent(op.name(), relFile);
            if (prior != null) {
                throw new ConfigException("two resources are named '" + op.name() + "': " + prior + " and " + relFile,
                        op.location());
            }
            List<String> fqn = folderFqn(relFile, op.name());
            Map<String, Object> config = folderConfig("operators", fqn);
            Configs.merge(config, op.config());
            config.put("operator_type", op.type());
            config.put("depends_on", op.dependsOn());
            String id = NodeType.OPERATOR.label() + "." + cfg.name() + "." + op.name();
            // The sql template (if any) starts at the operator's entry; errors are reported from there.
            byId.put(id, new Node(id, NodeType.OPERATOR, op.name(), relFile, fqn, op.sql(), config, op.description(),
                    List.of(), null, null, op.location().line()));
            for (String output : op.outputs()) {
                Path p2 = resourceNames.putIfAbsent(output, relFile);
                if (p2 != null) {
                    throw new ConfigException("output '" + output + "' of operator '" + op.name()
                            + "' has the name of another resource in " + p2, op.location());
                }
                Map<String, Object> oc = new LinkedHashMap<>();
                if (config.get("schema") != null) oc.put("schema", config.get("schema"));
                Configs.merge(oc, Map.of("tags", Configs.asList(config.get("tags"))));
                oc.put("materialized", Node.OPERATOR_OUTPUT);
                String oid = NodeType.MODEL.label() + "." + cfg.name() + "." + output;
                byId.put(oid, new Node(oid, NodeType.MODEL, output, relFile, folderFqn(relFile, output), "", oc,
                        "", List.of(), null, id, op.location().line() - 1));
            }
        }

        /**
         * A segment becomes a table model selecting its members, written in the activation schema. One cut from a
         * template with a behaviour condition also gets an ephemeral model of the members meeting it, so that its
         * columns are checked against the behaviour's table as the criteria are against the master's.
         */
        private void addSegment(SegmentSpec seg, Path f) {
            Path relFile = rel(f);
            Path prior = resourceNames.putIfAbsent(seg.name(), relFile);
            if (prior != null) {
                throw new ConfigException("segment '" + seg.name() + "' has the name of another resource in " + prior,
                        seg.location());
            }
            SegmentSpec.Instance in = seg.instance();
            SegmentSpec.Behavior b = in == null ? null : in.behavior();
            List<String> conditions = new ArrayList<>();
            if (seg.where() != null) conditions.add("(" + seg.where().strip() + ")");
            if (b != null) {
                String behaviorNode = seg.name() + "__" + b.name();
                addBehaviorFilter(seg, b, behaviorNode, relFile);
                conditions.add(seg.idColumn() + " in (select member_id from {{ ref('" + behaviorNode + "') }})");
            }
            String columns = seg.columns().isEmpty() ? "*" : String.join(", ", seg.columns());
            // One line, so that an error in the criteria points at the segment's entry.
            String code = "select '" + seg.name() + "' as segment_name, " + columns + " from {{ ref('" + seg.from()
                    + "') }} where " + String.join(" and ", conditions);
            List<String> fqn = folderFqn(relFile, seg.name());
            Map<String, Object> config = folderConfig("models", fqn);
            Configs.merge(config, Configs.ordered("materialized", "table", "schema", "activation"));
            List<Object> tags = new ArrayList<>(List.of("segment"));
            if (seg.schedule() != null) tags.add("schedule:" + seg.schedule());
            Map<String, Object> meta = segmentMeta(seg, seg.from());
            meta.put("schedule", seg.schedule() == null ? "" : seg.schedule());
            meta.put("segment_type", seg.type() == null ? "" : seg.type());
            meta.put("audience_ids", seg.audienceIds());
            Configs.merge(config, Configs.ordered("tags", tags, "meta", meta));
            Configs.merge(config, seg.config());
            String id = NodeType.MODEL.label() + "." + cfg.name() + "." + seg.name();
            byId.put(id, new Node(id, NodeType.MODEL, seg.name(), relFile, fqn, code, config, seg.description(),
                    List.of(), null, null, seg.location().line() - 1));
        }

        /** What the compiler reads of a segment node: its source (for the column check), template and values. */
        private static Map<String, Object> segmentMeta(SegmentSpec seg, String from) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("segment", true);
            meta.put("id_column", seg.idColumn());
            meta.put("segment_from", from);
            meta.put("segment_of", seg.name());
            if (seg.instance() != null) {
                SegmentSpec.Instance in = seg.instance();
                meta.put("segment_template", Configs.ordered("name", in.template(), "file", in.templateAt().file().toString(),
                        "line", in.templateAt().line()));
                meta.put("segment_parameters", in.values());
            }
            return meta;
        }

        /** The members of a templated segment meeting its behaviour condition: an ephemeral model the segment reads. */
        private void addBehaviorFilter(SegmentSpec seg, SegmentSpec.Behavior b, String name, Path relFile) {
            Path prior = resourceNames.putIfAbsent(name, relFile);
            if (prior != null) {
                throw new ConfigException("segment '" + seg.name() + "' needs the name '" + name + "' for its behaviour filter; "
                        + "it is taken by a resource in " + prior, seg.location());
            }
            String code = "select " + b.idColumn() + " as member_id from {{ ref('" + b.from() + "') }}"
                    + (b.where() == null ? "" : " where (" + b.where().strip() + ")") + " group by " + b.idColumn()
                    + (b.having() == null ? "" : " having (" + b.having().strip() + ")");
            List<String> fqn = folderFqn(relFile, name);
            Map<String, Object> config = folderConfig("models", fqn);
            Configs.merge(config, Configs.ordered("materialized", "ephemeral", "tags", List.of("segment"), "meta", segmentMeta(seg, b.from())));
            String id = NodeType.MODEL.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, NodeType.MODEL, name, relFile, fqn, code, config, "Members of segment '" + seg.name()
                    + "' meeting its behaviour condition on " + b.from() + " (template '" + seg.instance().template() + "')",
                    List.of(), null, null, seg.instance().templateAt().line() - 1));
        }

        /**
         * A master segment is a table of its population with its attributes, in the activation schema; its
         * attributes are checked against its model's columns as a segment's criteria are.
         */
        private void addMaster(MasterSegmentSpec m, Path f) {
            Path relFile = rel(f);
            Path prior = resourceNames.putIfAbsent(m.name(), relFile);
            if (prior != null) {
                throw new ConfigException("master segment '" + m.name() + "' has the name of another resource in " + prior,
                        m.location());
            }
            if (!m.attributes().isEmpty() && m.attributes().stream().noneMatch(a -> a.strip().toLowerCase(java.util.Locale.ROOT)
                    .matches("(.*\\s+as\\s+)?" + java.util.regex.Pattern.quote(m.idColumn().toLowerCase(java.util.Locale.ROOT))))) {
                throw new ConfigException("master segment '" + m.name() + "' needs its id column '" + m.idColumn()
                        + "' among its attributes: segments are cut from it by that id", m.location());
            }
            String columns = m.attributes().isEmpty() ? "*" : String.join(", ", m.attributes());
            String code = "select " + columns + " from {{ ref('" + m.from() + "') }}" + (m.where() == null ? "" : " where (" + m.where().strip() + ")");
            List<String> fqn = folderFqn(relFile, m.name());
            Map<String, Object> config = folderConfig("models", fqn);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("segment", true);
            meta.put("master_segment", true);
            meta.put("id_column", m.idColumn());
            meta.put("segment_from", m.from());
            Map<String, Object> behaviors = new LinkedHashMap<>();
            m.behaviors().forEach((k, v) -> behaviors.put(k, Configs.ordered("from", v.from(), "id_column", v.idColumn())));
            meta.put("behaviors", behaviors);
            Configs.merge(config, Configs.ordered("materialized", "table", "schema", "activation",
                    "tags", List.of("segment", "master_segment"), "meta", meta));
            Configs.merge(config, m.config());
            String id = NodeType.MODEL.label() + "." + cfg.name() + "." + m.name();
            byId.put(id, new Node(id, NodeType.MODEL, m.name(), relFile, fqn, code, config, m.description(),
                    List.of(), null, null, m.location().line() - 1));
        }

        /**
         * A test per master segment: every member of every segment cut from it is in it. By construction they are,
         * unless a segment's own config or a later change breaks it; the test says which segment and member.
         */
        private void addMasterCheck(MasterSegmentSpec m, List<SegmentSpec> children) {
            String name = m.name() + "_contains_its_segments";
            String text = "{{ 'string' if target.type in ('spark', 'databricks') else 'varchar' }}";
            StringBuilder code = new StringBuilder();
            for (SegmentSpec c : children) {
                if (code.length() > 0) code.append("\nunion all\n");
                code.append("select c.segment_name, cast(c.").append(c.idColumn()).append(" as ").append(text)
                        .append(") as member_id from {{ ref('").append(c.name()).append("') }} c where not exists (select 1 from {{ ref('")
                        .append(m.name()).append("') }} m where m.").append(m.idColumn()).append(" = c.").append(c.idColumn()).append(")");
            }
            Path relFile = rel(m.location().file().isAbsolute() ? m.location().file() : root.resolve(m.location().file()));
            List<String> fqn = folderFqn(relFile, name);
            Map<String, Object> config = folderConfig("tests", fqn);
            Configs.merge(config, Map.of("tags", List.of("segment", "master_segment")));
            String id = NodeType.TEST.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, NodeType.TEST, name, relFile, fqn, code.toString(), config,
                    "Every member of the segments cut from master segment '" + m.name() + "' is in it.",
                    List.of(), null, null, m.location().line() - 1));
        }

        /**
         * schema_map.yml's tables become models (folder schema_map/ for project configs): the staging model, and the
         * profile-ready one built on it. Schema files may document and test them like any model.
         */
        private void addMappedModels(SchemaMap map) {
            Path relFile = map.file();
            for (SchemaMap.Table t : map.tables()) {
                addMapped(map, t, t.model(), t.srcSql(), t.description() != null ? t.description()
                        : "Table " + t.key() + " mapped by " + relFile + ": " + t.input(), t.columns().stream()
                        .map(c -> new ColumnSpec(c.name(), c.description() == null ? "" : c.description(),
                                c.type() == null ? null : c.type().written(), Map.of(), List.of())).toList());
                if (t.prpModel() != null) {
                    addMapped(map, t, t.prpModel(), t.prpSql(), "Profile-ready layer of " + t.model() + " (" + relFile + ")",
                            t.columns().stream().filter(c -> c.prp() != null).map(c -> new ColumnSpec(c.prp(),
                                    c.description() == null ? "" : c.description(), c.type() == null ? null : c.type().written(),
                                    Map.of(), List.of())).toList());
                }
            }
        }

        private void addMapped(SchemaMap map, SchemaMap.Table t, String name, String code, String description,
                               List<ColumnSpec> columns) {
            Path prior = resourceNames.putIfAbsent(name, map.file());
            if (prior != null) {
                throw new ConfigException("table '" + t.key() + "' of " + map.file() + " makes model '" + name
                        + "', the name of another resource in " + prior, t.location());
            }
            List<String> fqn = List.of(cfg.name(), "schema_map", name);
            Map<String, Object> config = folderConfig("models", fqn);
            Configs.merge(config, map.config());
            Configs.merge(config, t.config());
            String id = NodeType.MODEL.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, NodeType.MODEL, name, map.file(), fqn, code, config, description, columns, null, null,
                    t.location().line() - 1));
        }

        /**
         * segment_catalog: a row per segment and destination (seed 002 wf09's audience_id per destination), with the
         * segment's type, source and schedule, so campaign tools and dashboards read the definitions as a table.
         */
        private void addSegmentCatalog(List<SegmentSpec> segments) {
            String name = "segment_catalog";
            Path relFile = rel(segments.get(0).location().file().isAbsolute() ? segments.get(0).location().file()
                    : root.resolve(segments.get(0).location().file()));
            if (resourceNames.putIfAbsent(name, relFile) != null) {
                throw new ConfigException("'segment_catalog' is the name of the segments' definition table; rename "
                        + "the resource that uses it", segments.get(0).location());
            }
            String text = "{{ 'string' if target.type in ('spark', 'databricks') else 'varchar' }}";
            StringBuilder code = new StringBuilder();
            for (SegmentSpec seg : segments) {
                Map<String, String> ids = seg.audienceIds().isEmpty() ? java.util.Collections.singletonMap(null, null) : seg.audienceIds();
                for (Map.Entry<String, String> d : ids.entrySet()) {
                    if (code.length() > 0) code.append("\nunion all\n");
                    code.append("select ").append(literal(seg.name(), text)).append(" as segment_name, ")
                            .append(literal(seg.type(), text)).append(" as segment_type, ")
                            .append(literal(seg.from(), text)).append(" as source_model, ")
                            .append(literal(seg.instance() == null ? null : seg.instance().template(), text)).append(" as template, ")
                            .append(literal(seg.instance() == null ? null : parameterText(seg.instance().values()), text)).append(" as parameters, ")
                            .append(literal(seg.schedule(), text)).append(" as schedule, ")
                            .append(literal(d.getKey(), text)).append(" as destination, ")
                            .append(literal(d.getValue(), text)).append(" as audience_id");
                }
            }
            Map<String, Object> config = folderConfig("models", folderFqn(relFile, name));
            Configs.merge(config, Configs.ordered("materialized", "table", "schema", "activation", "tags", List.of("segment")));
            String id = NodeType.MODEL.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, NodeType.MODEL, name, relFile, folderFqn(relFile, name), code.toString(), config,
                    "The segments: type, source model (a master segment for those cut from one), template and its values, "
                            + "schedule, and the audience id of each destination.",
                    List.of(), null, null, 0));
        }

        /** A template instance's values as name=value, in the template's order. */
        private static String parameterText(Map<String, Object> values) {
            StringBuilder out = new StringBuilder();
            values.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return out.toString();
        }

        /** A text literal of the SQL (null as a typed null), quotes doubled. */
        private static String literal(String value, String type) {
            return value == null ? "cast(null as " + type + ")" : "cast('" + value.replace("'", "''") + "' as " + type + ")";
        }

        /**
         * segment_membership: every segment's members as a type-2 history, so entering a segment opens a row
         * (dbt_valid_from) and leaving closes it (dbt_valid_to). Built on the snapshot machinery.
         */
        private void addMembership(List<SegmentSpec> segments) {
            String name = "segment_membership";
            Path relFile = rel(segments.get(0).location().file().isAbsolute() ? segments.get(0).location().file()
                    : root.resolve(segments.get(0).location().file()));
            if (resourceNames.putIfAbsent(name, relFile) != null) {
                throw new ConfigException("'segment_membership' is the name of the segment history table; rename "
                        + "the resource that uses it", segments.get(0).location());
            }
            StringBuilder code = new StringBuilder();
            // Spark and Databricks have no unsized varchar; the type is chosen when the SQL is rendered.
            String text = "{{ 'string' if target.type in ('spark', 'databricks') else 'varchar' }}";
            for (SegmentSpec seg : segments) {
                if (code.length() > 0) code.append("\nunion all\n");
                code.append("select segment_name, cast(").append(seg.idColumn()).append(" as ").append(text)
                        .append(") as member_id from {{ ref('")
                        .append(seg.name()).append("') }}");
            }
            Map<String, Object> config = Configs.ordered("strategy", "check", "unique_key",
                    List.of("segment_name", "member_id"), "check_cols", List.of("segment_name"),
                    "invalidate_hard_deletes", true, "schema", "activation", "tags", List.of("segment"));
            String id = NodeType.SNAPSHOT.label() + "." + cfg.name() + "." + name;
            byId.put(id, new Node(id, NodeType.SNAPSHOT, name, relFile, folderFqn(relFile, name), code.toString(), config,
                    "Entry and exit history of every segment's members: open rows have dbt_valid_to null.",
                    List.of(), null, null, 0));
        }

        /** project, the schema file's folders below the model path, name. */
        private List<String> folderFqn(Path relFile, String name) {
            List<String> fqn = new ArrayList<>();
            fqn.add(cfg.name());
            Path dir = pkgRel(root.resolve(relFile)).getParent();
            if (dir != null) for (int i = 1; i < dir.getNameCount(); i++) fqn.add(dir.getName(i).toString());
            fqn.add(name);
            return List.copyOf(fqn);
        }

        /**
         * An exposure is a node whose template is its depends_on calls, so ref() and source() give it its parents
         * as for any node; it is never run. Its properties ride in its config under {@link #EXPOSURE}.
         */
        private void addExposure(ExposureSpec e, Path f) {
            String id = NodeType.EXPOSURE.label() + "." + cfg.name() + "." + e.name();
            if (byId.containsKey(id)) throw new ConfigException("exposure '" + e.name() + "' is declared twice", e.location());
            List<String> fqn = folderFqn(rel(f), e.name());
            Map<String, Object> config = folderConfig("exposures", fqn);
            Configs.merge(config, e.config());
            if (!e.tags().isEmpty()) Configs.merge(config, Map.of("tags", e.tags()));
            if (!e.meta().isEmpty()) Configs.merge(config, Map.of("meta", e.meta()));
            config.put(EXPOSURE, e);
            StringBuilder code = new StringBuilder();
            for (String d : e.dependsOn()) code.append("{{ ").append(d).append(" }}\n");
            byId.put(id, new Node(id, NodeType.EXPOSURE, e.name(), rel(f), fqn, code.toString(), config, e.description(),
                    List.of(), null, null, e.location().line() - 1));
        }

        /** A unit test is a node that depends on what its model reads, and runs before the model in build. */
        private void addUnitTest(UnitTestSpec ut, Path schemaFile) {
            String modelId = NodeType.MODEL.label() + "." + cfg.name() + "." + ut.model();
            Node model = byId.get(modelId);
            if (model != null && ut.choosesVersions()) {
                throw new ConfigException("unit test '" + ut.name() + "' has versions include or exclude, but model '"
                        + ut.model() + "' is not versioned", ut.location());
            }
            if (model == null) {
                // A versioned model is one node per version (model.p.m.v1): as in dbt, the unit test runs once per
                // chosen version, each a unit test of its own.
                List<Node> chosen = new ArrayList<>();
                boolean versioned = false;
                for (Node n : List.copyOf(byId.values())) {
                    if (n.type() != NodeType.MODEL || !n.uniqueId().startsWith(modelId + ".v")) continue;
                    Object v = n.config().get("version");
                    if (v == null) continue;
                    versioned = true;
                    if (ut.tests(String.valueOf(v))) chosen.add(n);
                }
                if (!versioned) {
                    throw new ConfigException("unit test '" + ut.name() + "' tests model '" + ut.model()
                            + "', which is not a model of this project", ut.location());
                }
                if (chosen.isEmpty()) {
                    throw new ConfigException("unit test '" + ut.name() + "' chooses no version of model '" + ut.model()
                            + "' (its versions include or exclude name none that it has)", ut.location());
                }
                for (Node n : chosen) addUnitTest(ut.forVersion(String.valueOf(n.config().get("version"))), n, schemaFile);
                return;
            }
            addUnitTest(ut, model, schemaFile);
        }

        private void addUnitTest(UnitTestSpec ut, Node model, Path schemaFile) {
            String modelId = model.uniqueId();
            String id = ut.uniqueId(cfg.name());
            if (unitTests.containsKey(id)) {
                throw new ConfigException("unit test '" + ut.name() + "' of model '" + ut.model() + "' is declared twice",
                        ut.location());
            }
            List<String> fqn = new ArrayList<>(model.fqn());
            fqn.add(ut.name());
            Map<String, Object> config = folderConfig("unit_tests", fqn);
            Configs.merge(config, ut.config());
            unitTests.put(id, ut);
            byId.put(id, new Node(id, NodeType.UNIT_TEST, ut.name(), rel(schemaFile), List.copyOf(fqn), "", config,
                    ut.description(), List.of(), null, modelId, ut.location().line() - 1));
        }

        private void applySchemaFile(SchemaFile sf, Path f) {
            applySpecs(sf.models(), NodeType.MODEL, f);
            applySpecs(sf.seeds(), NodeType.SEED, f);
            applySpecs(sf.snapshots(), NodeType.SNAPSHOT, f);
            for (SourceTable s : sf.sources()) {
                boolean dup = sources.stream().anyMatch(o -> o.sourceName().equals(s.sourceName()) && o.name().equals(s.name()));
                if (dup) {
                    throw new ConfigException("source '" + s.sourceName() + "." + s.name() + "' is declared twice",
                            s.location());
                }
                sources.add((isRoot() ? s : s.inPackage(cfg.name())).resolvedAgainst(pkgRoot));
                for (TestSpec t : allTests(s.columns(), s.tests())) {
                    addGenericTest(t, s.uniqueId(cfg.name()), s.sourceName() + "_" + s.name(), f);
                }
            }
        }

        private void applySpecs(List<ResourceSpec> specs, NodeType type, Path f) {
            for (ResourceSpec spec : specs) {
                String id = type.label() + "." + cfg.name() + "." + spec.name();
                if (type == NodeType.MODEL && spec.config().get(SchemaFileParser.VERSIONS) instanceof List<?> vs) {
                    addVersions(spec, vs, f);
                    continue;
                }
                Node n = byId.get(id);
                Object relation = spec.config().get(SchemaFileParser.SNAPSHOT_RELATION);
                if (type == NodeType.SNAPSHOT && relation != null) {
                    if (n != null) {
                        throw new ConfigException("snapshot '" + spec.name() + "' is defined twice: by a snapshot block in "
                                + n.file() + " and by relation: here", spec.location());
                    }
                    // dbt 1.9: a snapshot defined in YAML selects everything from its relation (a ref() or source()).
                    String dir = pkgRel(f).getNameCount() > 1 ? pkgRel(f).getName(0).toString() : "";
                    addSqlNode(NodeType.SNAPSHOT, "snapshots", dir, f, "select * from {{ " + relation + " }}", spec.name(),
                            spec.location().line() - 1);
                    n = byId.get(id);
                    spec.config().remove(SchemaFileParser.SNAPSHOT_RELATION);
                }
                Node other = n == null ? otherKindNamed(spec.name(), type) : null;
                if (other != null) {
                    // As dbt: the properties are ignored with a warning, but the tests still apply, to the node
                    // of that name whatever its kind.
                    warnings.add(spec.location() + ": '" + spec.name() + "' is a " + other.type().label() + " node, "
                            + "but it is specified in the " + type.label() + "s section; place its properties under "
                            + other.type().label() + "s instead (its tests still apply)");
                    for (TestSpec t : allTests(spec.columns(), spec.tests())) addGenericTest(t, other.uniqueId(), spec.name(), f);
                    continue;
                }
                if (n == null) {
                    warnings.add(spec.location() + ": " + type.label() + " '" + spec.name()
                            + "' is documented but there is no such " + type.label() + " file");
                    continue;
                }
                Map<String, Object> config = new LinkedHashMap<>(n.config());
                Configs.merge(config, spec.config());
                deprecation(spec.name(), config, spec.location());
                byId.put(id, new Node(n.uniqueId(), n.type(), n.name(), n.file(), n.fqn(), n.rawCode(), config,
                        spec.description(), spec.columns(), null, n.testedId(), n.lineOffset()));
                describedAt.put(id, spec.location());
                for (TestSpec t : allTests(spec.columns(), spec.tests())) addGenericTest(t, id, spec.name(), f);
            }
        }

        /**
         * dbt's model versions: each version is a node of its own (model.pkg.name.v2) built from its file (defined_in,
         * else name_v2.sql), aliased name_v2 unless it sets an alias, with the model's columns as include/exclude keep
         * them; ref('name') is the latest version (latest_version, else the highest).
         */
        private void addVersions(ResourceSpec spec, List<?> raw, Path f) {
            List<ModelVersion> versions = new ArrayList<>();
            for (Object o : raw) versions.add((ModelVersion) o);
            Object latestRaw = spec.config().get("latest_version");
            String latest = latestRaw != null ? String.valueOf(latestRaw) : versions.stream().map(ModelVersion::v)
                    .max((a, b) -> Double.compare(num(a), num(b))).orElseThrow();
            if (versions.stream().noneMatch(v -> v.v().equals(latest))) {
                throw new ConfigException("latest_version " + latest + " of model '" + spec.name() + "' is not one of its "
                        + "versions " + versions.stream().map(ModelVersion::v).toList(), spec.location());
            }
            for (ModelVersion mv : versions) {
                String file = mv.definedIn() != null ? mv.definedIn() : spec.name() + "_v" + mv.v();
                Node n = byId.get(NodeType.MODEL.label() + "." + cfg.name() + "." + file);
                if (n == null && mv.definedIn() == null && versions.size() == 1) {
                    n = byId.get(NodeType.MODEL.label() + "." + cfg.name() + "." + spec.name());
                }
                if (n == null) {
                    throw new ConfigException("version " + mv.v() + " of model '" + spec.name() + "' is defined in "
                            + file + ".sql, which is not a model file of this project (set defined_in: to its file name)",
                            mv.location());
                }
                byId.remove(n.uniqueId());
                String id = NodeType.MODEL.label() + "." + cfg.name() + "." + spec.name() + ".v" + mv.v();
                Map<String, Object> config = new LinkedHashMap<>(n.config());
                Map<String, Object> fromSpec = new LinkedHashMap<>(spec.config());
                fromSpec.remove(SchemaFileParser.VERSIONS);
                Configs.merge(config, fromSpec);
                Configs.merge(config, mv.config());
                config.putIfAbsent("alias", spec.name() + "_v" + mv.v());
                config.put("version", mv.v());
                config.put("latest_version", latest);
                List<ColumnSpec> columns = new ArrayList<>();
                for (ColumnSpec c : spec.columns()) {
                    boolean kept = (mv.include() == null || mv.include().contains(c.name())) && !mv.exclude().contains(c.name());
                    boolean replaced = mv.columns().stream().anyMatch(o -> o.name().equals(c.name()));
                    if (kept && !replaced) columns.add(c);
                }
                columns.addAll(mv.columns());
                List<String> fqn = new ArrayList<>(n.fqn().subList(0, n.fqn().size() - 1));
                fqn.add(spec.name());
                fqn.add("v" + mv.v());
                deprecation(spec.name() + " v" + mv.v(), config, mv.location());
                byId.put(id, new Node(id, NodeType.MODEL, spec.name(), n.file(), List.copyOf(fqn), n.rawCode(), config,
                        mv.description() != null ? mv.description() : spec.description(), List.copyOf(columns), null,
                        n.testedId(), n.lineOffset()));
                describedAt.put(id, spec.location());
                for (TestSpec t : allTests(columns, mv.tests() != null ? mv.tests() : spec.tests())) {
                    addGenericTest(t, id, spec.name() + "_v" + mv.v(), f);
                }
            }
        }

        private static double num(String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return Double.NEGATIVE_INFINITY;
            }
        }

        /** dbt warns about a model whose deprecation_date has passed. */
        private void deprecation(String what, Map<String, Object> config, SourceLocation at) {
            Object d = config.get("deprecation_date");
            if (d == null) return;
            java.time.LocalDate date;
            try {
                date = java.time.LocalDate.parse(String.valueOf(d).strip().substring(0, Math.min(10, String.valueOf(d).strip().length())));
            } catch (RuntimeException e) {
                throw new ConfigException("deprecation_date of model '" + what + "' must be a date like 2025-12-31, not '"
                        + d + "'", at);
            }
            if (!date.isAfter(java.time.LocalDate.now(java.time.ZoneOffset.UTC))) {
                warnings.add(at + ": model '" + what + "' has passed its deprecation date, " + date
                        + "; it may be removed: migrate what refs it");
            }
        }

        /** A model, seed or snapshot of this name that is not of the given kind, or null. */
        private Node otherKindNamed(String name, NodeType type) {
            for (NodeType t : List.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT)) {
                if (t == type) continue;
                Node n = byId.get(t.label() + "." + cfg.name() + "." + name);
                if (n != null) return n;
            }
            return null;
        }

        private static List<TestSpec> allTests(List<ColumnSpec> columns, List<TestSpec> modelTests) {
            List<TestSpec> all = new ArrayList<>(modelTests);
            for (ColumnSpec c : columns) all.addAll(c.tests());
            return all;
        }

        private void addGenericTest(TestSpec t, String testedId, String targetName, Path schemaFile) {
            String testName = t.testName();
            int dot = testName.indexOf('.');
            if (dot >= 0 && !knownPackages.contains(testName.substring(0, dot))) {
                String pkg = testName.substring(0, dot);
                throw new ConfigException("test '" + testName + "' comes from package '" + pkg + "', which is not "
                        + "installed: add it to packages.yml and run `engine deps`", t.location());
            }
            String name = t.customName() != null ? t.customName()
                    : (testedId.startsWith("source.") ? "source_" : "") + synthesizeName(t, targetName);
            int seen = testNameCounts.merge(name, 1, Integer::sum);
            String id = "test." + cfg.name() + "." + name + "." + hash(name + "|" + testedId + "|" + t.args() + "|" + seen);
            List<String> fqn = new ArrayList<>();
            fqn.add(cfg.name());
            Path dir = pkgRel(schemaFile).getParent();
            if (dir != null) {
                for (int i = 1; i < dir.getNameCount(); i++) fqn.add(dir.getName(i).toString());
            }
            fqn.add(name);
            Map<String, Object> config = folderConfig("tests", fqn);
            Configs.merge(config, t.config());
            byId.put(id, new Node(id, NodeType.TEST, name, rel(schemaFile), List.copyOf(fqn),
                    GenericTestCall.render(t), config, "", List.of(), t, testedId, t.location().line() - 1));
        }

        /** Runs of characters a test name's argument part may not hold; compiled once, not per argument of every test. */
        private static final java.util.regex.Pattern NOT_NAME = java.util.regex.Pattern.compile("[^0-9a-zA-Z_]+");

        /** dbt's naming: test, target, then the sorted arguments flattened and cleaned. */
        private static String synthesizeName(TestSpec t, String targetName) {
            Map<String, Object> args = new TreeMap<>(t.args());
            if (t.columnName() != null) args.put("column_name", t.columnName());
            List<String> flat = new ArrayList<>();
            for (Object v : args.values()) {
                if (v instanceof List<?> l) l.forEach(x -> flat.add(String.valueOf(x)));
                else if (v instanceof Map<?, ?> m) m.values().forEach(x -> flat.add(String.valueOf(x)));
                else flat.add(String.valueOf(v));
            }
            List<String> clean = flat.stream().map(s -> NOT_NAME.matcher(s).replaceAll("_")).toList();
            String test = t.testName().replace('.', '_'); // dbt_utils.at_least_one: dbt_utils_at_least_one_...
            String full = test + "_" + targetName + (clean.isEmpty() ? "" : "_" + String.join("__", clean));
            // A long name stays the node's name, as in dbt; its relation gets a short one (compile.TestNames).
            return full;
        }

        /** The files under dir whose names end in one of exts, sorted. */
        private List<Path> files(String dir, String... exts) {
            Path base = pkgRoot.resolve(dir);
            if (!Files.isDirectory(base)) return List.of();
            // The walk reads every entry's attributes without following links; a regular file among them is no
            // link and needs none of the looks below (three stat calls per model file, 30,000 at 10,000 models).
            Set<Path> plain = new java.util.HashSet<>();
            try (Stream<Path> s = Files.find(base, Integer.MAX_VALUE, (p, attributes) -> {
                if (!endsWithAny(p.getFileName().toString(), exts)) return false;
                if (attributes.isRegularFile()) plain.add(p);
                return true;
            })) {
                List<Path> found = s.sorted().toList();
                // A link to a file that is gone would otherwise drop a model without a word; reported for the
                // endings in the order given, as separate walks did.
                for (String ext : exts) {
                    for (Path p : found) {
                        if (!plain.contains(p) && p.getFileName().toString().endsWith(ext) && Files.isSymbolicLink(p) && !Files.exists(p)) {
                            TextFiles.read(p, rel(p));
                        }
                    }
                }
                plainFiles.addAll(plain);
                return found.stream().filter(p -> plain.contains(p) || Files.isRegularFile(p)).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean endsWithAny(String name, String[] exts) {
            for (String ext : exts) {
                if (name.endsWith(ext)) return true;
            }
            return false;
        }

        private String read(Path f) {
            return plainFiles.contains(f) ? TextFiles.readRegular(f, rel(f)) : TextFiles.read(f, rel(f));
        }

        /** enabled from YAML must be a boolean; "maybe" is an error, not false. */
        private boolean enabled(Node n) {
            Object v = n.config().get("enabled");
            if (v == null || v instanceof Boolean) return v == null || (Boolean) v;
            String text = v.toString().trim();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) return Boolean.parseBoolean(text);
            // A test's config renders when it compiles ("{{ target.type != 'spark' }}"); decided there.
            if (n.type() == NodeType.TEST && (text.contains("{{") || text.contains("{%"))) return true;
            throw new ConfigException(n.type().label() + " '" + n.name() + "': enabled must be true or false, not '"
                    + v + "'", SourceLocation.of(n.file()));
        }

        /** A path as files are named everywhere: relative to the project being run. */
        private Path rel(Path f) {
            return f.isAbsolute() ? root.relativize(f) : f;
        }

        /** A path relative to the package's own folder, as its folder configs and fqn see it. */
        private Path pkgRel(Path f) {
            return pkgRoot.relativize(f.isAbsolute() ? f : root.resolve(f));
        }

        private static String name(Path f) {
            String n = f.getFileName().toString();
            return n.substring(0, n.lastIndexOf('.'));
        }
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
