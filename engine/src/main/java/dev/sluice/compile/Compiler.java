package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import dev.sluice.graph.Dag;
import dev.sluice.lazy.LazyList;
import dev.sluice.lazy.LazyMap;
import dev.sluice.project.Configs;
import dev.sluice.project.KnownKeys;
import dev.sluice.project.Node;
import dev.sluice.project.UnitTestSpec;
import dev.sluice.project.NodeType;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.SourceTable;
import dev.sluice.project.Target;
import dev.sluice.seed.SeedOptions;
import dev.sluice.sql.SqlAnalysis;
import dev.sluice.sql.SqlAnalyzer;
import dev.sluice.sql.SqlSyntaxError;
import dev.sluice.sql.TableName;
import dev.sluice.template.TemplateEngine;
import dev.sluice.template.TemplateFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a loaded project into a manifest, in two passes as dbt does: the first renders every template to
 * learn its refs and in-file config; the second, once every node's relation is known, renders the SQL that
 * runs, inlines ephemeral models and has Calcite check it.
 */
public final class Compiler {
    private final Project project;
    private final Target target;
    private final Adapter adapter;
    private final TemplateEngine templates;
    private final CompileOptions options;
    private final Secrets secrets;
    /**
     * Made when first needed: Calcite's classes are never loaded when the command needs no SQL analysis or the
     * parse cache holds every node's.
     */
    private volatile SqlAnalyzer analyzer;
    /** Models, seeds and snapshots by package, then name: what ref() finds. */
    private final Map<String, Map<String, Node>> byPackage = new LinkedHashMap<>();
    private final Map<String, SourceTable> sources = new LinkedHashMap<>();
    /** Every node by unique id: looking one up is not a scan of the project (100,000 nodes make that quadratic). */
    private final Map<String, Node> nodesById = new HashMap<>();
    /** The warehouse session of the compile in progress (run_query, adapter.get_relation), or null offline. */
    private Session session;
    /** Nodes whose templates asked the warehouse: rendered again when they run, as dbt renders them then. */
    private final Set<String> renderAtRun = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The compile's findings, kept for rendering nodes again at run time. */
    private Map<String, Parsed> parsedById = Map.of();
    /**
     * Each ephemeral model's SQL without the CTEs of its own ephemeral parents: a dependant inlines the whole
     * ephemeral closure as one flat list of CTEs, each once, as dbt does, rather than nesting them.
     */
    private Map<String, String> ephemeralBodies = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<String, Relation> relationsById = Map.of();
    private Map<String, CompiledNode> compiledById = Map.of();
    private List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The run's selected unique ids, known once the run has chosen its nodes (after compiling). */
    private java.util.function.Supplier<List<String>> selected = List::of;
    /** Rendering for a node that runs now (renderForRun): the warehouse answers, nothing is deferred. */
    private boolean atRun;
    /** Folders of compiled files made sure of, and whether this compiler made them (see compiledFolder). */
    private final Map<Path, Boolean> compiledFolders = new java.util.concurrent.ConcurrentHashMap<>();
    /** What writeCompiled holds while it writes into a folder (see there). */
    private final Map<Path, Object> folderLocks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Nodes whose SQL came from the first render, not rendered a second time (see SinglePass). */
    private final java.util.concurrent.atomic.AtomicInteger reusedRenders = new java.util.concurrent.atomic.AtomicInteger();
    /** The partial-parse cache of this compile, or null. */
    private ParseCache parseCache;
    /** The batch a microbatch model renders for (renderBatch), or null. */
    private BatchWindow batch;
    /** --defer: what ref() gives for these unselected nodes instead of their own relation (the state's relation). */
    private Map<String, Relation> deferred = Map.of();
    /** dbt's graph variable: nodes and sources with their config and dependencies (after parsing). */
    private Map<String, Object> graph;

    public Compiler(Project project, Target target, Adapter adapter, TemplateEngine templates, CompileOptions options,
                    Secrets secrets) {
        this.secrets = secrets;
        this.project = project;
        this.target = target;
        this.adapter = adapter;
        this.templates = templates;
        this.options = options;
        for (Node n : project.nodes()) {
            nodesById.putIfAbsent(n.uniqueId(), n);
            if (n.type() == NodeType.MODEL || n.type() == NodeType.SEED || n.type() == NodeType.SNAPSHOT) {
                Map<String, Node> named = byPackage.computeIfAbsent(n.packageName(), k -> new LinkedHashMap<>());
                Object version = n.config().get("version");
                if (version == null) {
                    named.put(n.name(), n);
                } else {
                    // A versioned model: ref('m', v=2) finds m.v2; ref('m') the latest version.
                    named.put(n.name() + ".v" + version, n);
                    if (String.valueOf(version).equals(String.valueOf(n.config().get("latest_version")))) named.put(n.name(), n);
                }
            }
        }
        for (SourceTable s : project.sources()) sources.put(s.uniqueId(project.name()), s);
    }

    /**
     * @param exists    whether a relation exists in the warehouse (for is_incremental()); null when offline
     * @param session   a session for the warehouse's own syntax check, or null
     */
    public Manifest compile(Predicate<Relation> exists, Session session) {
        // Templates render on several threads, and a session serves one call at a time.
        this.session = session == null ? null : new dev.sluice.adapter.LazySession(() -> session);
        List<String> warnings = new ArrayList<>(project.warnings());
        // While parsing, the graph has every node but no dependencies yet, as dbt's parse-time graph.
        // Built only if a template reads it (LazyMap).
        this.graph = new LazyMap(() -> GraphVariable.of(project, project.nodes(), id -> Optional.ofNullable(nodesById.get(id))
                .map(Node::config).orElse(Map.of()), id -> List.of(),
                Map.of(), sources));
        Map<String, Parsed> parsed = new LinkedHashMap<>();
        // Nodes are parsed independently of each other, so on every core; results keep the project's order.
        List<Node> all = project.nodes();
        List<Parsed> parsedList = Parallel.map(all, n -> guarded(n, () -> parse(n)));
        for (int i = 0; i < all.size(); i++) parsed.put(all.get(i).uniqueId(), parsedList.get(i));
        parsed.values().forEach(p -> warnings.addAll(p.warnings));
        dropDisabled(parsed);
        parsed.values().forEach(p -> warnings.addAll(ConfigWarnings.of(p.node, p.config, adapter)));
        AccessRules.check(project, parsed.values().stream().map(p -> p.node).toList(), id -> parsed.get(id).config,
                id -> parsed.get(id).dependsOn);
        // A unit test reads what its model reads (for the fixtures' column types), and runs before the model.
        parsed.values().removeIf(p -> p.node.type() == NodeType.UNIT_TEST && !parsed.containsKey(p.node.testedId()));
        for (Parsed p : parsed.values()) {
            if (p.node.type() == NodeType.UNIT_TEST) p.dependsOn.addAll(parsed.get(p.node.testedId()).dependsOn);
        }

        this.parsedById = parsed;
        Map<String, Relation> relations = new HashMap<>();
        parsed.values().forEach(p -> relations.put(p.node.uniqueId(), relationOf(p.node, p.config)));
        DuplicateRelations.check(parsed.values().stream().map(p -> p.node).toList(), relations, id -> parsed.get(id).config, adapter);
        List<Node> graphNodes = parsed.values().stream().map(p -> p.node).toList();
        Map<String, Relation> graphRelations = new HashMap<>(relations);
        this.graph = new LazyMap(() -> GraphVariable.of(project, graphNodes, id -> parsed.get(id).config,
                id -> parsed.get(id).dependsOn, graphRelations, sources));
        sources.forEach((id, s) -> relations.put(id, new Relation(s.database(), s.schema(), s.identifier())));

        Dag dag = new Dag();
        parsed.values().forEach(p -> {
            dag.addNode(p.node.uniqueId());
            p.dependsOn.stream().filter(parsed::containsKey).forEach(d -> dag.addEdge(d, p.node.uniqueId()));
        });
        List<String> order = dag.checkAcyclic(id -> parsed.get(id).node.file());

        // Written between levels only, read by the threads of the next: plain maps suffice and keep their order.
        Map<String, CompiledNode> compiled = new LinkedHashMap<>();
        List<String> unparsed = new ArrayList<>();
        Map<String, List<String>> byIdentifier = indexByIdentifier(relations);
        Map<String, EngineException> failed = new LinkedHashMap<>();
        Map<String, UnitTestPlan> unitTests = new LinkedHashMap<>();
        // A session serves one thread at a time; templates rendered in parallel share this one.
        Predicate<Relation> sharedExists = exists == null ? null : r -> {
            synchronized (this) {
                return exists.test(r);
            }
        };
        // Rendered level by level: a node needs the compiled SQL and columns of what it reads (ephemeral CTEs,
        // star expansion), so each level runs on every core once the levels before it are done. Findings are
        // gathered per node and kept in topological order, so output does not depend on timing.
        for (List<String> level : levels(dag, order)) {
            List<List<String>> nodeUnparsed = new ArrayList<>();
            List<List<String>> nodeWarnings = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                nodeUnparsed.add(new ArrayList<>());
                nodeWarnings.add(new ArrayList<>());
            }
            List<Object> done = Parallel.mapIndexed(level, (i, id) -> {
                Parsed p = parsed.get(id);
                // Unit tests are planned on this thread, in order, after their level's other nodes.
                if (p.node.type() == NodeType.UNIT_TEST) return null;
                try {
                    String broken = ephemeralClosure(p.dependsOn, compiled).stream().filter(failed::containsKey).findFirst().orElse(null);
                    if (broken != null) {
                        throw new CompilationException("ephemeral model '" + compiled.get(broken).name() + "' that "
                                + p.node.name() + " selects from does not compile: " + failed.get(broken).userMessage(),
                                new SourceLocation(p.node.file(), p.node.lineOffset() + 1, 0));
                    }
                    return guarded(p.node, () -> render(p, relations, byIdentifier, compiled, sharedExists, this.session,
                            nodeUnparsed.get(i), nodeWarnings.get(i)));
                } catch (EngineException e) {
                    return e;
                }
            });
            for (int i = 0; i < level.size(); i++) {
                String id = level.get(i);
                Parsed p = parsed.get(id);
                CompiledNode c;
                Object result = done.get(i);
                if (p.node.type() == NodeType.UNIT_TEST) {
                    try {
                        result = guarded(p.node, () -> renderUnitTest(p, relations, compiled, sharedExists, unitTests));
                    } catch (EngineException e) {
                        result = e;
                    }
                }
                if (result instanceof EngineException e) {
                    // Parsed fine but does not compile: an error of this node when it runs, not of the whole project.
                    failed.put(id, e);
                    c = new CompiledNode(p.node, p.config, relations.get(id), List.copyOf(p.dependsOn), "", null, List.of(),
                            Map.of(), false, List.of(), List.of());
                } else {
                    c = (CompiledNode) result;
                }
                compiled.put(id, c);
                unparsed.addAll(nodeUnparsed.get(i));
                warnings.addAll(nodeWarnings.get(i));
            }
        }
        if (!unparsed.isEmpty()) {
            warnings.add("Calcite could not parse " + unparsed.size() + " model(s) (dialect-specific SQL); they run as "
                    + "written, with dependencies from ref() only: " + String.join(", ", unparsed));
        }
        this.parsedById = parsed;
        this.relationsById = relations;
        this.compiledById = compiled;
        // Keep the project's file order in the manifest so listings are stable.
        Map<String, CompiledNode> ordered = new LinkedHashMap<>();
        for (Node n : project.nodes()) {
            if (compiled.containsKey(n.uniqueId())) ordered.put(n.uniqueId(), compiled.get(n.uniqueId()));
        }
        if (parseCache != null) parseCache.save();
        List<String> start = new ArrayList<>();
        for (ProjectConfig pc : hookOrder()) {
            pc.onRunStart().stream().map(h -> renderProjectHook(pc, h, relations, compiled, Map.of()))
                    .filter(h -> !h.isBlank()).forEach(start::add);
        }
        return new Manifest(project, target, ordered, sources, List.copyOf(warnings), List.copyOf(start),
                java.util.Collections.unmodifiableMap(failed), java.util.Collections.unmodifiableMap(unitTests));
    }

    /**
     * Removes nodes whose config (in the file or any YAML) says enabled=false, with the tests on them, as dbt
     * does; a ref from an enabled node to a disabled one is dbt's "depends on a node ... which is disabled".
     */
    private static void dropDisabled(Map<String, Parsed> parsed) {
        Set<String> disabled = new LinkedHashSet<>();
        for (Parsed p : parsed.values()) {
            if (!enabled(p)) disabled.add(p.node.uniqueId());
        }
        if (disabled.isEmpty()) return;
        for (Parsed p : parsed.values()) {
            if (p.node.type() == NodeType.TEST && p.dependsOn.stream().anyMatch(disabled::contains)) {
                disabled.add(p.node.uniqueId());
            }
        }
        for (Parsed p : parsed.values()) {
            if (disabled.contains(p.node.uniqueId())) continue;
            for (String dep : p.dependsOn) {
                if (disabled.contains(dep)) {
                    Node d = parsed.get(dep).node;
                    throw new CompilationException(capitalized(p.node.type().label()) + " '" + p.node.uniqueId() + "' ("
                            + p.node.file() + ") depends on a node named '" + d.name() + "' which is disabled",
                            SourceLocation.of(p.node.file()));
                }
            }
        }
        parsed.keySet().removeAll(disabled);
    }

    private static void checkHasStatement(Node n, String sql) {
        if (((n.type() == NodeType.MODEL && !n.isOperatorOutput()) || n.type() == NodeType.SNAPSHOT) && noStatement(sql)) {
            throw new CompilationException(n.type().label() + " '" + n.name() + "' has no SQL: the file is empty or "
                    + "holds only comments", SourceLocation.of(n.file()));
        }
    }

    /** True when the text is only whitespace and SQL comments (-- to the end of a line, block comments). */
    static boolean noStatement(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                return false;
            }
        }
        return true;
    }

    /** enabled must be a boolean (or the text true/false, as env_var() gives); anything else is an error. */
    private static boolean enabled(Parsed p) {
        Object v = p.config.get("enabled");
        if (v == null || v instanceof Boolean) return v == null || (Boolean) v;
        String text = v.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) return text.equals("true");
        throw new CompilationException("config enabled must be true or false, not '" + v + "'",
                SourceLocation.of(p.node.file()));
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Any failure that is not already a user-facing error becomes one line naming the node and its file. */
    /** The DAG's nodes by depth (a node's parents are all in earlier levels), each level in topological order. */
    private static List<List<String>> levels(Dag dag, List<String> topologicalOrder) {
        Map<String, Integer> depth = new HashMap<>();
        List<List<String>> out = new ArrayList<>();
        for (String id : topologicalOrder) {
            int d = 0;
            for (String parent : dag.parents(id)) d = Math.max(d, depth.get(parent) + 1);
            depth.put(id, d);
            while (out.size() <= d) out.add(new ArrayList<>());
            out.get(d).add(id);
        }
        return out;
    }

    private static <T> T guarded(Node n, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | StackOverflowError e) {
            throw dev.sluice.error.InternalException.of(e, n.type().label() + " '" + n.name() + "'", SourceLocation.of(n.file()));
        }
    }

    /** First pass: refs, sources and config() of one node. */
    private Parsed parse(Node n) {
        Parsed p = new Parsed(n);
        if (n.type() == NodeType.SEED) {
            hookRefs(n, p);
            if (!p.dependsOn.isEmpty()) {
                throw new CompilationException("Seeds cannot depend on other nodes: a pre-hook or post-hook of seed '"
                        + n.name() + "' calls ref() or source() (" + String.join(", ", p.dependsOn) + ")", SourceLocation.of(n.file()));
            }
            return p;
        }
        if (n.type() == NodeType.UNIT_TEST) return p;
        String hash = parseCache == null ? null : ParseCache.nodeHash(n);
        Map<String, Object> inFile = parseCache == null ? null : fromCache(p, hash);
        if (inFile == null) {
            inFile = new LinkedHashMap<>();
            renderParse(n, p, inFile);
            if (parseCache != null) parseCache.miss(n.uniqueId(), cacheEntry(p, hash, inFile));
        }
        Configs.merge(p.config, inFile);
        if (n.type() == NodeType.MODEL || n.type() == NodeType.SNAPSHOT) hookRefs(n, p);
        if (n.type() == NodeType.TEST) {
            // A data test's YAML config may be Jinja (dbt_expectations: enabled: "{{ target.type != 'spark' }}"),
            // rendered with the test's context as dbt renders it while parsing.
            Map<String, Object> v = null;
            Map<String, TemplateFunction> fns = null;
            for (Map.Entry<String, Object> e : p.config.entrySet()) {
                if (e.getValue() instanceof String s && (s.contains("{{") || s.contains("{%"))) {
                    if (v == null) {
                        v = vars(n, relationOf(n, n.config()), null, false);
                        fns = functions(n, false, p, new LinkedHashMap<>(), null, null, null);
                    }
                    e.setValue(renderValue(n, s, fns, v));
                }
            }
        }
        p.warnings.addAll(KnownKeys.inFileConfig(inFile.keySet(), n.file(), n.rawCode(), n.lineOffset()));
        if (n.type() == NodeType.MODEL) {
            // A foreign key's to: ref(...) is a dependency (from the config, so also for a node the cache gave).
            Constraints.resolve(n, p.config, functions(n, false, p, new LinkedHashMap<>(), null, null, null));
        }
        if (n.testedId() != null && !p.dependsOn.contains(n.testedId())) p.dependsOn.add(0, n.testedId());
        if (n.type() == NodeType.OPERATOR) {
            for (String dep : Configs.strings(n.config().get("depends_on"))) {
                Node d = resolveRef(null, dep, n.packageName());
                if (d == null) {
                    throw new CompilationException("operator '" + n.name() + "' depends on '" + dep
                            + "', which is not a model, seed or snapshot" + suggestion(dep), new SourceLocation(n.file(), n.lineOffset(), 0));
                }
                if (!p.dependsOn.contains(d.uniqueId())) p.dependsOn.add(d.uniqueId());
            }
        }
        return p;
    }

    /**
     * The ref()s and source()s of a node's pre- and post-hooks are its dependencies, as in dbt: hooks that name
     * another node are rendered as the parse renders (leniently; the build renders them for real).
     */
    private void hookRefs(Node n, Parsed p) {
        for (String key : List.of("pre-hook", "post-hook")) {
            for (Object h : Configs.asList(p.config.get(key))) {
                Object sqlText = h instanceof Map<?, ?> m ? m.get("sql") : h;
                if (sqlText == null || !(sqlText.toString().contains("ref(") || sqlText.toString().contains("source("))) continue;
                Node hookNode = n.withCode(sqlText.toString(), n.lineOffset());
                try {
                    renderTemplate(hookNode, vars(n, relationOf(n, n.config()), null, false),
                            functions(n, false, p, new LinkedHashMap<>(), null, null, null));
                } catch (CompilationException e) {
                    // Left to the build's render, which reports it strictly.
                }
            }
        }
    }

    /** The parse render: refs, sources and in-file config of one node, recorded into p and inFile. */
    private void renderParse(Node n, Parsed p, Map<String, Object> inFile) {
        Map<String, TemplateFunction> fns = functions(n, false, p, inFile, null, null, null);
        Relation self = relationOf(n, n.config());
        p.selfSeen = self;
        dev.sluice.template.RenderTrace trace = new dev.sluice.template.RenderTrace();
        try {
            Map<String, Object> v = vars(n, self, null, false);
            // A warning raised while parsing is shown when the SQL is rendered for real: that render must happen.
            v.put("exceptions", new dev.sluice.template.CompilerExceptions(w -> p.sideEffects = true));
            if (n.testedId() != null) p.testedSeen = v.get("__sluice_model");
            String firstPass = renderTemplate(n, v, fns, trace, false);
            p.firstSql = firstPass;
            // An empty file is bad input found while parsing. A template may render empty while parsing (execute is
            // false: dbt_utils.get_column_values returns [] then), so templated SQL is checked once rendered for real.
            if (!n.rawCode().contains("{{") && !n.rawCode().contains("{%")) checkHasStatement(n, firstPass);
        } catch (CompilationException e) {
            // dbt's parse renders leniently: a template that asks the warehouse gets None here (execute is false)
            // and may trip over it; its SQL renders, strictly, once the warehouse answers.
            if (!renderAtRun.contains(n.uniqueId())) throw e;
        }
        // What the node keeps of its trace, compact: a Parsed lives to the end of the compile (a HashSet of two
        // names is five objects for the collector to copy and scan, Set.copyOf's one).
        p.read = Set.copyOf(trace.variablesRead());
        p.macrosCalled = trace.macrosCalled();
    }

    /**
     * The cached parse of a node, restored into p, when it is still valid: the node is unchanged, every macro its
     * render called is unchanged, every ref() and source() resolves as it did, and every environment variable it
     * read has the same value. Returns its in-file config, or null to parse the node again.
     */
    private Map<String, Object> fromCache(Parsed p, String hash) {
        Node n = p.node;
        ParseCache.Entry e = parseCache.candidate(n.uniqueId(), hash);
        if (e == null) return null;
        for (Map.Entry<String, String> m : e.macros().entrySet()) {
            int dot = m.getKey().indexOf('.');
            if (!m.getValue().equals(templates.macroDigest(m.getKey().substring(0, dot), m.getKey().substring(dot + 1)))) return null;
        }
        for (List<String> r : e.refs()) {
            Node t = resolveRef(r.get(0).isEmpty() ? null : r.get(0), r.get(1), n.packageName());
            if (t == null || !t.uniqueId().equals(r.get(2))) return null;
        }
        for (List<String> s : e.sources()) {
            SourceTable found = null;
            String foundId = null;
            for (String pkg : searchOrder(null, n.packageName())) {
                foundId = "source." + pkg + "." + s.get(0) + "." + s.get(1);
                found = sources.get(foundId);
                if (found != null) break;
            }
            if (found == null || !foundId.equals(s.get(2))
                    || !new Relation(found.database(), found.schema(), found.identifier()).equals(ParseCache.relation(s.subList(3, 6)))) {
                return null;
            }
        }
        for (List<Object> v : e.envVars()) {
            if (!envDigest(String.valueOf(v.get(0))).equals(v.get(1))) return null;
        }
        for (List<Object> v : e.envVars()) {
            String value = System.getenv(String.valueOf(v.get(0)));
            Object given = value != null ? value : v.get(2);
            p.inputsUsed.put("env_var." + v.get(0), String.valueOf(given));
        }
        p.inputsUsed.putAll(e.varsUsed());
        p.dependsOn.addAll(e.dependsOn());
        p.firstSql = e.sql();
        p.read = Set.copyOf(e.read());
        p.sideEffects = e.sideEffects();
        p.selfSeen = ParseCache.relation(e.self());
        e.refsSeen().forEach((id, r) -> p.refsSeen.put(id, ParseCache.relation(r)));
        p.testedSeen = e.testedUnknown() ? "__sluice_tested_model" : e.tested() == null ? null
                : RelationRef.of(ParseCache.relation(e.tested()), adapter);
        p.configReads.addAll(e.configReads());
        parseCache.hit(n.uniqueId(), e);
        @SuppressWarnings("unchecked")
        Map<String, Object> inFile = (Map<String, Object>) ParseCache.restore(e.inFile());
        return inFile;
    }

    /** What a fresh parse of p found, for the cache; null when the node cannot be cached (see ParseCache). */
    private ParseCache.Entry cacheEntry(Parsed p, String hash, Map<String, Object> inFile) {
        if (renderAtRun.contains(p.node.uniqueId()) || !ParseCache.plain(inFile)) return null;
        for (String v : ParseCache.PER_INVOCATION) if (p.read.contains(v)) return null;
        // A secret (an env_var() value in a project var, a password) never goes into the file.
        if (!secrets.mask(String.valueOf(inFile)).equals(String.valueOf(inFile))
                || !secrets.mask(String.valueOf(varsUsed(p))).equals(String.valueOf(varsUsed(p)))) {
            return null;
        }
        Map<String, List<String>> refsSeen = new LinkedHashMap<>();
        p.refsSeen.forEach((id, r) -> refsSeen.put(id, ParseCache.relation(r)));
        // Rendered SQL holding an env_var() value stays out of the file: it may be a secret.
        String sql = p.envCalls.isEmpty() && p.firstSql != null && secrets.mask(p.firstSql).equals(p.firstSql) ? p.firstSql : null;
        // inFile and the trace's macros are not written after the parse render, so the entry holds them rather than
        // copies: it lives to the end of the compile, and every object it keeps is one the collector copies and scans.
        return new ParseCache.Entry(hash, List.copyOf(p.dependsOn), inFile, List.copyOf(p.refCalls),
                List.copyOf(p.sourceCalls), List.copyOf(p.envCalls), p.macrosCalled, sql,
                List.copyOf(new java.util.TreeSet<>(p.read)), p.sideEffects, ParseCache.relation(p.selfSeen), refsSeen,
                p.testedSeen instanceof RelationRef r ? ParseCache.relation(r.relation()) : null,
                p.node.testedId() != null && !(p.testedSeen instanceof RelationRef), List.copyOf(p.configReads),
                varsUsed(p));
    }

    /** The var() values the parse render used (env_var() values are read again from the environment). */
    private static Map<String, String> varsUsed(Parsed p) {
        Map<String, String> out = new java.util.TreeMap<>();
        p.inputsUsed.forEach((k, v) -> {
            if (k.startsWith("var.")) out.put(k, v);
        });
        return out;
    }

    /** A digest of an environment variable's value, so the cache can tell a change without holding the value. */
    private static String envDigest(String name) {
        String v = System.getenv(name);
        return v == null ? "-" : ParseCache.digest(v);
    }

    /** Uses a parse cache: unchanged nodes are not parsed again (see ParseCache). */
    public void parseCache(ParseCache cache) {
        this.parseCache = cache;
    }

    private CompiledNode render(Parsed p, Map<String, Relation> relations, Map<String, List<String>> byIdentifier,
                                Map<String, CompiledNode> compiled, Predicate<Relation> exists, Session session,
                                List<String> unparsed, List<String> warnings) {
        Node n = p.node;
        Relation self = relations.get(n.uniqueId());
        if (n.type() == NodeType.EXPOSURE) {
            // Its template only names its parents (found while parsing); there is nothing to render or run.
            return new CompiledNode(n, p.config, self, List.copyOf(p.dependsOn), "", null, List.of(), Map.of(), true,
                    List.of(), List.of());
        }
        if (n.type() == NodeType.SEED) {
            return new CompiledNode(n, p.config, self, List.of(), "", null, seedColumns(n), Map.of(), true,
                    hooks(n, p, "pre-hook", relations, compiled, exists), hooks(n, p, "post-hook", relations, compiled, exists));
        }
        Object tested = n.testedId() == null ? null : testedRelation(n.testedId(), relations, compiled, p.config);
        Map<String, TemplateFunction> fns = functions(n, true, p, new LinkedHashMap<>(), relations, compiled,
                exists == null ? null : exists);
        String sql = deferred.isEmpty() ? SinglePass.reusable(p.firstPass(), n, self, relations, compiled, options.empty(),
                renderAtRun.contains(n.uniqueId())) : null;
        if (sql != null) {
            reusedRenders.incrementAndGet();
        } else try {
            sql = renderTemplate(n, vars(n, self, tested, true), fns).strip();
        } catch (DeferredRender | CompilationException d) {
            // A template that asked the warehouse may depend on what this run builds: it renders again when it runs,
            // where a real error is that node's error.
            if (d instanceof CompilationException && !(renderAtRun.contains(n.uniqueId()) && running())) throw d;
            renderAtRun.add(n.uniqueId());
            Path out = writeCompiled(n, "-- rendered when the node runs: its template failed at compile time ("
                    + d.getMessage().lines().findFirst().orElse("") + ")");
            return new CompiledNode(n, p.config, self, List.copyOf(p.dependsOn), "", out, List.of(), Map.of(), false,
                    hooks(n, p, "pre-hook", relations, compiled, exists), hooks(n, p, "post-hook", relations, compiled, exists));
        }
        checkHasStatement(n, sql);
        Map<String, Object> config = p.config;
        if (n.type() == NodeType.OPERATOR) {
            // An operator's settings may hold a secret (a webhook's token), as a profile may: masked, never refused.
            Map<String, TemplateFunction> settingFns = new HashMap<>(fns);
            settingFns.put("env_var", secrets.secretEnvVar());
            config = renderConfig(n, config, settingFns, vars(n, self, null, true));
        }
        Map<String, String> fkTargets = Constraints.resolve(n, config, fns);
        if (!fkTargets.isEmpty()) {
            config = new LinkedHashMap<>(config);
            config.put(Constraints.TARGETS, fkTargets);
        }

        List<String> ephemerals = ephemeralClosure(p.dependsOn, compiled);
        if ("ephemeral".equals(str(config.get("materialized")))) ephemeralBodies.put(n.uniqueId(), sql);
        int addedLines = 0;
        if (!ephemerals.isEmpty()) {
            StringBuilder ctes = new StringBuilder();
            for (String e : ephemerals) {
                CompiledNode ec = compiled.get(e);
                ctes.append(cteName(ec.name())).append(" as (\n").append(ephemeralBodies.getOrDefault(e, ec.compiledSql())).append("\n),\n");
            }
            addedLines = (int) ctes.chars().filter(ch -> ch == '\n').count();
            sql = Ctes.prepend(sql, ctes.toString());
        }

        List<String> columns = List.of();
        Map<String, Set<dev.sluice.sql.ColumnSource>> lineage = Map.of();
        boolean ok = true;
        if (options.analyzeSql() && ((n.type() == NodeType.MODEL && !n.isOperatorOutput()) || n.type() == NodeType.SNAPSHOT)) {
            Analysed analysed = analyze(n, sql, t -> knownColumns(t, compiled, byIdentifier));
            SqlAnalysis a = analysed.analysis();
            if (a.parsed()) {
                columns = a.columns();
                lineage = a.lineage();
                Set<String> allowed = new LinkedHashSet<>(p.dependsOn);
                ephemerals.forEach(e -> allowed.addAll(compiled.get(e).dependsOn()));
                checkDirectReferences(n, a, allowed, relations, byIdentifier, warnings);
                checkSegmentColumns(n, sql, compiled);
            } else {
                ok = false;
                if (!analysed.kept()) {
                    Optional<SqlSyntaxError> confirmed;
                    synchronized (this) {
                        confirmed = session == null ? Optional.empty() : adapter.checkSyntax(session, sql);
                    }
                    if (confirmed.isPresent()) {
                        SqlSyntaxError err = confirmed.get();
                        throw sqlError(n, sql, err.line() > 0 ? err
                                : analyzer().explainSyntaxError(sql).orElseGet(() -> a.syntaxError().get()), addedLines);
                    }
                    // The warehouse accepted what Calcite could not parse: the same SQL needs neither next time.
                    if (session != null) analysed.keep().run();
                }
                if (a.tooDeep()) {
                    warnings.add(n.type().label() + " '" + n.name() + "' (" + n.file() + ") nests too deeply for SQL "
                            + "analysis; only the warehouse's parser checks it, and its dependencies come from ref() only");
                } else {
                    unparsed.add(n.name());
                }
            }
        }
        Path out = writeCompiled(n, sql);
        return new CompiledNode(n, config, self, List.copyOf(p.dependsOn), sql, out, columns, lineage, ok,
                hooks(n, p, "pre-hook", relations, compiled, exists), hooks(n, p, "post-hook", relations, compiled, exists));
    }

    /**
     * A unit test: its model's template rendered with each ref() and source() it reads replaced by a fixture CTE
     * named after the input, and with the test's overrides of macros, vars and env vars (is_incremental() is false
     * unless overridden, as in dbt). The fixtures' SQL needs the inputs' column types and is written when it runs.
     */
    private CompiledNode renderUnitTest(Parsed p, Map<String, Relation> relations, Map<String, CompiledNode> compiled,
                                        Predicate<Relation> exists, Map<String, UnitTestPlan> plans) {
        Node ut = p.node;
        UnitTestSpec spec = project.unitTests().get(ut.uniqueId());
        Node model = Optional.ofNullable(nodesById.get(ut.testedId())).orElseThrow();
        Map<String, UnitTestPlan.Input> inputs = new LinkedHashMap<>();
        for (UnitTestSpec.Given g : spec.given()) {
            String key = UnitTestPlan.normalizeInput(g.input());
            java.util.regex.Matcher ref = REF_INPUT.matcher(key);
            java.util.regex.Matcher src = SOURCE_INPUT.matcher(key);
            Relation rel;
            String cte;
            if (ref.matches()) {
                Node n = resolveRef(null, ref.group(1), model.packageName());
                if (n == null) {
                    throw new ConfigException("unit test '" + spec.name() + "' gives " + g.input()
                            + ", which is not a model, seed or snapshot" + suggestion(ref.group(1)), g.fixture().location());
                }
                rel = relations.get(n.uniqueId());
                cte = cteName(n.name());
            } else if (key.equals("this")) {
                // dbt 1.8: an incremental model's test gives `this`, the table as an incremental run would find it;
                // its rows take the types of the model's own table.
                rel = relations.get(model.uniqueId());
                cte = cteName(model.name() + "__this");
            } else if (src.matches()) {
                SourceTable st = sources.get("source." + project.name() + "." + src.group(1) + "." + src.group(2));
                if (st == null) {
                    throw new ConfigException("unit test '" + spec.name() + "' gives " + g.input()
                            + ", which no schema file declares", g.fixture().location());
                }
                rel = new Relation(st.database(), st.schema(), st.identifier());
                cte = cteName(src.group(1) + "__" + src.group(2));
            } else {
                throw new ConfigException("unit test '" + spec.name() + "': input '" + g.input() + "' must be ref('name'), "
                        + "source('source', 'table') or this", g.fixture().location());
            }
            inputs.put(key, new UnitTestPlan.Input(g.input(), cte, rel, g.fixture()));
        }
        Map<String, TemplateFunction> fns = functions(model, true, new Parsed(model), new LinkedHashMap<>(), relations,
                compiled, exists);
        fns.put("ref", (args, kw) -> fixture(inputs, "ref('" + args.get(args.size() - 1) + "')", spec, model));
        fns.put("source", (args, kw) -> fixture(inputs, "source('" + args.get(0) + "','"
                + (args.size() > 1 ? args.get(1) : "") + "')", spec, model));
        TemplateFunction var = fns.get("var");
        fns.put("var", (args, kw) -> !args.isEmpty() && spec.varOverrides().containsKey(String.valueOf(args.get(0)))
                ? spec.varOverrides().get(String.valueOf(args.get(0))) : var.call(args, kw));
        TemplateFunction env = fns.get("env_var");
        fns.put("env_var", (args, kw) -> !args.isEmpty() && spec.envVarOverrides().containsKey(String.valueOf(args.get(0)))
                ? String.valueOf(spec.envVarOverrides().get(String.valueOf(args.get(0)))) : env.call(args, kw));
        fns.put("is_incremental", (args, kw) -> Configs.bool(spec.macroOverrides().get("is_incremental"), false));
        for (Map.Entry<String, Object> o : spec.macroOverrides().entrySet()) {
            if (o.getKey().equals("is_incremental")) continue;
            Object value = o.getValue();
            int dot = o.getKey().indexOf('.');
            if (dot >= 0) {
                // pkg.macro replaces the macro where it is called by that qualified name (see
                // JinjaRuntime#callQualified); dbt.macro also replaces the bare name, as dbt propagates it.
                String pkg = o.getKey().substring(0, dot);
                String name = o.getKey().substring(dot + 1);
                if (templates.macroDigest(pkg, name) == null) {
                    throw new ConfigException("unit test '" + spec.name() + "' overrides the macro '" + o.getKey()
                            + "', which " + (templates.hasPackage(pkg) ? "package '" + pkg + "' does not have"
                            : "does not exist: there is no package '" + pkg + "'"), spec.location());
                }
                if (pkg.equals("dbt")) fns.put(name, (args, kw) -> value);
            }
            fns.put(o.getKey(), (args, kw) -> value);
        }
        Relation self = relations.get(model.uniqueId());
        Map<String, Object> vars = vars(model, self, null, true);
        if (inputs.containsKey("this")) vars.put("this", RelationRef.cte(inputs.get("this").cte()));
        String sql = renderTemplate(model, vars, fns).strip();
        plans.put(ut.uniqueId(), new UnitTestPlan(spec, List.copyOf(inputs.values()), self));
        Path out = writeCompiled(ut, sql);
        return new CompiledNode(ut, p.config, self, List.copyOf(p.dependsOn), sql, out, List.of(), Map.of(), true,
                List.of(), List.of());
    }

    private static final java.util.regex.Pattern REF_INPUT = java.util.regex.Pattern.compile("ref\\('([^']+)'\\)");
    private static final java.util.regex.Pattern SOURCE_INPUT =
            java.util.regex.Pattern.compile("source\\('([^']+)','([^']+)'\\)");

    private static RelationRef fixture(Map<String, UnitTestPlan.Input> inputs, String call, UnitTestSpec spec, Node model) {
        UnitTestPlan.Input in = inputs.get(UnitTestPlan.normalizeInput(call));
        if (in == null) {
            throw new CompilationException("unit test '" + spec.name() + "' gives no rows for " + call + ", which model '"
                    + model.name() + "' reads; add it under given", spec.location());
        }
        return RelationRef.cte(in.cte());
    }

    /** Operator settings may be templates, e.g. customers: "{{ var('customers', 2000) }}". */
    private Map<String, Object> renderConfig(Node n, Map<String, Object> config, Map<String, TemplateFunction> fns,
                                             Map<String, Object> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, renderValue(n, v, fns, vars)));
        return out;
    }

    /** Nested maps and lists are rendered too, e.g. webhook headers: {Authorization: "{{ env_var('T') }}"}. */
    @SuppressWarnings("unchecked")
    private Object renderValue(Node n, Object v, Map<String, TemplateFunction> fns, Map<String, Object> vars) {
        if (v instanceof String s && (s.contains("{{") || s.contains("{%"))) {
            Node valueNode = n.withCode(s, n.lineOffset());
            return renderTemplate(valueNode, vars, fns).strip();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, renderValue(n, x, fns, vars)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(renderValue(n, x, fns, vars));
            return out;
        }
        return v;
    }

    /** Hooks are templates too ({{ this }} is common in grants and indexes). */
    private List<String> hooks(Node n, Parsed p, String key, Map<String, Relation> relations,
                               Map<String, CompiledNode> compiled, Predicate<Relation> exists) {
        List<String> out = new ArrayList<>();
        Relation self = relations.get(n.uniqueId());
        for (Object h : Configs.asList(p.config.get(key))) {
            Object sqlText = h instanceof Map<?, ?> m ? m.get("sql") : h;
            if (sqlText == null || sqlText.toString().isBlank()) continue;
            Map<String, TemplateFunction> fns = functions(n, true, p, new LinkedHashMap<>(), relations, compiled, exists);
            Node hookNode = n.withCode(sqlText.toString(), n.lineOffset());
            String rendered = renderTemplate(hookNode, vars(n, self, null, true), fns).strip();
            if (!rendered.isEmpty()) out.add(rendered);
        }
        return List.copyOf(out);
    }

    /**
     * The project's on-run-end hooks, rendered after the run so they can read {@code results} (one map per
     * node: unique_id, name, resource_type, status, execution_time, message, rows_affected), as in dbt.
     */
    public List<String> renderOnRunEnd(Manifest m, List<Map<String, Object>> results) {
        Map<String, Relation> relations = new HashMap<>();
        m.nodes().forEach((id, c) -> relations.put(id, c.relation()));
        m.sources().forEach((id, s) -> relations.put(id, new Relation(s.database(), s.schema(), s.identifier())));
        // schemas and database_schemas: where the run's nodes were built, as dbt gives on-run-end hooks.
        Set<String> schemas = new LinkedHashSet<>();
        Set<List<Object>> databaseSchemas = new LinkedHashSet<>();
        List<String> selected = new ArrayList<>();
        for (Map<String, Object> r : results) {
            String id = String.valueOf(r.get("unique_id"));
            selected.add(id);
            CompiledNode c = m.nodes().get(id);
            if (c == null || c.relation() == null || c.node().type() == NodeType.TEST) continue;
            schemas.add(c.relation().schema());
            databaseSchemas.add(java.util.Arrays.asList(c.relation().database() == null ? target.database() : c.relation().database(),
                    c.relation().schema()));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("results", results);
        extra.put("schemas", new ArrayList<>(schemas));
        extra.put("database_schemas", new ArrayList<>(databaseSchemas));
        extra.put("selected_resources", selected);
        List<String> out = new ArrayList<>();
        for (ProjectConfig pc : hookOrder()) {
            for (String h : pc.onRunEnd()) {
                String sql = renderProjectHook(pc, h, relations, m.nodes(), extra);
                if (!sql.isBlank()) out.add(sql);
            }
        }
        return out;
    }

    /**
     * Runs macro {@code macro} of package {@code pkg} (the root project's name for its own) with {@code args} as
     * keyword arguments, executing on {@code runSession} as dbt's run-operation does; its statements and
     * run_query go to that session. What it logged is in {@link #messages()}.
     */
    public void runOperation(String pkg, String macro, Map<String, Object> args, Session runSession) {
        runOperation(pkg, macro, args, runSession, null);
    }

    /**
     * @param m the project's nodes and sources, which ref() and source() in the macro resolve to (as dbt resolves
     *          them against its manifest); null for none
     */
    public void runOperation(String pkg, String macro, Map<String, Object> args, Session runSession, Manifest m) {
        Map<String, Relation> relations = new HashMap<>();
        if (m != null) {
            m.nodes().forEach((id, c) -> {
                if (c.relation() != null) relations.put(id, c.relation());
            });
            m.sources().forEach((id, s) -> relations.put(id, new Relation(s.database(), s.schema(), s.identifier())));
        }
        this.session = runSession;
        this.atRun = true;
        ProjectConfig owner = pkg.equals(project.name()) ? project.config() : project.packages().get(pkg);
        StringBuilder call = new StringBuilder("{%- do " + pkg + "." + macro + "(");
        int i = 0;
        for (String k : args.keySet()) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException("--args: '" + k + "' is not a valid argument name of macro '" + macro + "'");
            }
            call.append(i++ == 0 ? "" : ", ").append(k).append("=sluice_operation_args['").append(k).append("']");
        }
        call.append(") -%}");
        Node opNode = new Node("operation." + pkg + "." + macro, NodeType.MODEL, macro,
                project.config().root().relativize(owner.file()), List.of(pkg), call.toString(), Map.of(),
                "", List.of(), null, null, 0);
        Parsed p = new Parsed(opNode);
        Map<String, TemplateFunction> fns = functions(opNode, true, p, new LinkedHashMap<>(), relations,
                m == null ? Map.of() : m.nodes(), tableOn(runSession));
        Map<String, Object> v = vars(opNode, new Relation(null, target.schema(), macro), null, true);
        v.remove("this");
        v.put("sluice_operation_args", new LinkedHashMap<>(args));
        contextObjects(v, fns);
        templates.render(opNode.file(), call.toString(), v, fns, packageOf(opNode));
    }

    /** Renders an on-run-start / on-run-end hook of the project file. */
    /** Whose on-run-start / on-run-end hooks run, in dbt's order: installed packages by name, the root project last. */
    private List<ProjectConfig> hookOrder() {
        List<ProjectConfig> order = new ArrayList<>(project.packages().values());
        order.add(project.config());
        return order;
    }

    private String renderProjectHook(ProjectConfig owner, String sql, Map<String, Relation> relations,
                                     Map<String, CompiledNode> compiled, Map<String, Object> extraVars) {
        // A package's hooks render as its own: its macros by bare name, its vars.
        Node hookNode = new Node("operation." + owner.name() + ".hook", NodeType.MODEL, "hook",
                project.config().root().relativize(owner.file()), List.of(owner.name()), sql, Map.of(),
                "", List.of(), null, null, 0);
        Parsed p = new Parsed(hookNode);
        Map<String, TemplateFunction> fns = functions(hookNode, true, p, new LinkedHashMap<>(), relations, compiled, null);
        Map<String, Object> v = vars(hookNode, new Relation(null, target.schema(), "hook"), null, true);
        v.remove("this");
        v.putAll(extraVars);
        contextObjects(v, fns);
        return templates.render(hookNode.file(), sql, v, fns, packageOf(hookNode)).strip();
    }

    private CompilationException sqlError(Node n, String sql, SqlSyntaxError err, int addedLines) {
        int line = err.line() - addedLines;
        long sourceLines = n.rawCode().strip().lines().count();
        long compiledLines = sql.lines().count() - addedLines;
        String where = "compiled SQL line " + err.line();
        SourceLocation loc;
        if (line > 0 && sourceLines == compiledLines) {
            int firstCodeLine = leadingBlankLines(n.rawCode());
            loc = new SourceLocation(n.file(), n.lineOffset() + firstCodeLine + line, err.column());
        } else {
            loc = SourceLocation.of(n.file());
        }
        return new CompilationException("SQL syntax error in " + n.type().label() + " '" + n.name() + "' (" + where
                + "): " + err.message(), loc);
    }

    private static int leadingBlankLines(String s) {
        int count = 0;
        for (String line : s.split("\n", -1)) {
            if (!line.isBlank()) break;
            count++;
        }
        return count;
    }

    private void checkDirectReferences(Node n, SqlAnalysis a, Set<String> allowed, Map<String, Relation> relations,
                                       Map<String, List<String>> byIdentifier, List<String> warnings) {
        for (TableName t : a.tables()) {
            if (t.parts().size() < 2) continue;
            for (String id : byIdentifier.getOrDefault(t.table().toLowerCase(Locale.ROOT), List.of())) {
                if (matches(t, relations.get(id)) && !allowed.contains(id) && !id.equals(n.uniqueId())
                        && !id.startsWith("test.")) {
                    warnings.add(n.file() + ": " + n.name() + " reads " + t + " directly; use ref() or source() so "
                            + "it is built after it");
                }
            }
        }
    }

    private SqlAnalyzer analyzer() {
        SqlAnalyzer a = analyzer;
        if (a != null) return a;
        synchronized (this) {
            if (analyzer == null) analyzer = new SqlAnalyzer();
            return analyzer;
        }
    }

    /**
     * Calcite's analysis of some SQL, and whether it came from the parse cache.
     *
     * @param keep keeps an analysis Calcite could not parse once the warehouse has accepted the SQL
     */
    private record Analysed(SqlAnalysis analysis, boolean kept, Runnable keep) {
    }

    /**
     * Calcite's analysis of a node's compiled SQL, from the parse cache when the SQL and the columns of every table
     * it looked up are unchanged (see ParseCache); a fresh successful analysis is kept there for the next command.
     * SQL holding a secret is not kept.
     */
    private Analysed analyze(Node n, String sql, java.util.function.Function<TableName, Optional<List<String>>> known) {
        if (parseCache == null) return new Analysed(analyzer().analyze(sql, known), false, () -> { });
        String digest = ParseCache.digest(sql);
        SqlAnalysis kept = parseCache.analysis(n.uniqueId(), digest, known);
        if (kept != null) return new Analysed(kept, true, () -> { });
        List<ParseCache.Lookup> lookups = new ArrayList<>();
        SqlAnalysis a = analyzer().analyze(sql, t -> {
            Optional<List<String>> columns = known.apply(t);
            lookups.add(new ParseCache.Lookup(t.parts(), columns.map(List::copyOf).orElse(null)));
            return columns;
        });
        Runnable keep = secrets.mask(sql).equals(sql) ? () -> parseCache.analysed(n.uniqueId(), digest, lookups, a) : () -> { };
        if (a.parsed()) keep.run();
        return new Analysed(a, false, keep);
    }

    /**
     * A segment's columns and criteria name columns of the model it selects from: one that model does not have is
     * an error at the segment's entry, before any SQL runs. Checked where the model's columns are known (Calcite
     * derived them from its SQL); identifiers in subqueries of the criteria are left to the warehouse.
     */
    private void checkSegmentColumns(Node n, String sql, Map<String, CompiledNode> compiled) {
        if (!(n.config().get("meta") instanceof Map<?, ?> meta) || !Boolean.TRUE.equals(meta.get("segment"))
                || !(meta.get("segment_from") instanceof String from)) return;
        for (CompiledNode c : compiled.values()) {
            if (!c.node().name().equals(from) || c.columns().isEmpty()) continue;
            List<String> unknown = analyzer().unknownColumns(sql, c.columns());
            if (!unknown.isEmpty()) {
                // A templated segment's criteria are the template's text: the error points there.
                String who = Boolean.TRUE.equals(meta.get("master_segment")) ? "master segment '" + n.name() + "'" : "segment '" + n.name() + "'";
                SourceLocation at = new SourceLocation(n.file(), n.lineOffset() + 1, 0);
                if (meta.get("segment_template") instanceof Map<?, ?> t) {
                    who = "segment template '" + t.get("name") + "' (for segment '" + String.valueOf(meta.get("segment_of")) + "')";
                    at = new SourceLocation(java.nio.file.Path.of(String.valueOf(t.get("file"))), ((Number) t.get("line")).intValue(), 0);
                }
                throw new dev.sluice.error.InvalidSegmentException(who + " uses " + (unknown.size() == 1 ? "column " : "columns ")
                        + String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList()) + " that '" + from
                        + "' does not have (its columns: " + String.join(", ", c.columns()) + ")", at);
            }
            return;
        }
    }

    private static Optional<List<String>> knownColumns(TableName t, Map<String, CompiledNode> compiled,
                                                       Map<String, List<String>> byIdentifier) {
        for (String id : byIdentifier.getOrDefault(t.table().toLowerCase(Locale.ROOT), List.of())) {
            CompiledNode c = compiled.get(id);
            // Sources are left out on purpose: their documented columns are often a subset of the real ones.
            if (c != null && matches(t, c.relation()) && !c.columns().isEmpty()) return Optional.of(c.columns());
        }
        return Optional.empty();
    }

    /** Node and source ids by lower-cased identifier, so resolving a table name is not a scan of the project. */
    private static Map<String, List<String>> indexByIdentifier(Map<String, Relation> relations) {
        Map<String, List<String>> out = new HashMap<>();
        relations.forEach((id, r) -> out.computeIfAbsent(r.identifier().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(id));
        return out;
    }

    private static boolean matches(TableName t, Relation r) {
        if (r == null || !t.table().equalsIgnoreCase(r.identifier())) return false;
        if (t.parts().size() < 2) return true;
        String schema = t.parts().get(t.parts().size() - 2);
        return r.schema() != null && schema.equalsIgnoreCase(r.schema());
    }

    /** A seed's columns, parsed as its loader will (quotes, BOM); a bad file is reported when it is loaded. */
    private List<String> seedColumns(Node n) {
        try {
            Path file = project.config().root().resolve(n.file());
            return SeedOptions.reader(n.config(), file).columns(file);
        } catch (EngineException e) {
            return List.of();
        }
    }

    /** Ephemeral ancestors reachable through ephemeral nodes only, dependencies first. */
    private static List<String> ephemeralClosure(List<String> deps, Map<String, CompiledNode> compiled) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String d : deps) visitEphemeral(d, compiled, out);
        return new ArrayList<>(out);
    }

    private static void visitEphemeral(String id, Map<String, CompiledNode> compiled, LinkedHashSet<String> out) {
        CompiledNode c = compiled.get(id);
        if (c == null || !c.isEphemeral() || out.contains(id)) return;
        for (String d : c.dependsOn()) visitEphemeral(d, compiled, out);
        out.add(id);
    }

    static String cteName(String model) {
        return "__dbt__cte__" + model;
    }

    /** While parsing, a generic test's model is already a Relation (its config may still change its name). */
    private Object parsedTestedRelation(String testedId) {
        SourceTable s = sources.get(testedId);
        if (s != null) return RelationRef.of(new Relation(s.database(), s.schema(), s.identifier()), adapter);
        return Optional.ofNullable(nodesById.get(testedId)).<Object>map(t -> RelationRef.of(relationOf(t, t.config()), adapter))
                .orElse("__sluice_tested_model");
    }

    private Object testedRelation(String testedId, Map<String, Relation> relations, Map<String, CompiledNode> compiled,
                                  Map<String, Object> testConfig) {
        CompiledNode c = compiled.get(testedId);
        String rel = c != null && c.isEphemeral() ? cteName(c.name()) : adapter.render(relations.get(testedId));
        Object where = testConfig.get("where");
        if (where != null && !where.toString().isBlank()) {
            return "(select * from " + rel + " where " + where + ") dbt_subquery";
        }
        // A Relation, as dbt passes it: package tests check it is one (dbt_utils._is_relation) and read its parts.
        return c != null && c.isEphemeral() ? RelationRef.cte(rel) : RelationRef.of(relations.get(testedId), adapter);
    }

    private Relation relationOf(Node n, Map<String, Object> config) {
        String database = generated("generate_database_name", n, config, str(config.get("database")));
        if (database == null) database = str(config.get("database"));
        String alias = generated("generate_alias_name", n, config, str(config.get("alias")));
        if (n.type() == NodeType.TEST) {
            String custom = Optional.ofNullable(str(config.get("schema"))).orElse("dbt_test__audit");
            String schema = generated("generate_schema_name", n, config, custom);
            if (schema == null) schema = target.schema() + "_" + custom;
            return new Relation(database, schema, alias != null ? alias : Optional.ofNullable(str(config.get("alias"))).orElse(TestNames.identifier(n)));
        }
        String schema;
        if (n.type() == NodeType.SNAPSHOT && config.get("target_schema") != null) {
            schema = str(config.get("target_schema"));
        } else {
            String custom = str(config.get("schema"));
            schema = generated("generate_schema_name", n, config, custom);
            if (schema == null) schema = custom == null ? target.schema() : target.schema() + "_" + custom.strip();
        }
        if (n.type() == NodeType.SNAPSHOT && config.get("target_database") != null) database = str(config.get("target_database"));
        String identifier = alias != null ? alias : Optional.ofNullable(str(config.get("alias"))).orElse(n.name());
        return new Relation(database, schema, identifier);
    }

    /** Names a root-project generate_schema_name / _alias_ / _database_ macro gave, by macro and node. */
    private final Map<String, String> generatedNames = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What the root project's override of dbt's generate_schema_name, generate_alias_name or
     * generate_database_name gives a node (trimmed, as dbt does), or null when the project does not override it
     * and dbt's default naming applies. Called as dbt calls it: (custom name or none, node), at parse time.
     */
    private String generated(String macro, Node n, Map<String, Object> config, String custom) {
        if (!templates.userMacros().getOrDefault(project.name(), Set.of()).contains(macro)) return null;
        String key = macro + "\u0000" + n.uniqueId() + "\u0000" + custom;
        String known = generatedNames.get(key);
        if (known != null) return known;
        Map<String, Object> node = new HashMap<>();
        node.put("name", n.name());
        node.put("unique_id", n.uniqueId());
        node.put("resource_type", n.type().label());
        node.put("package_name", n.packageName());
        node.put("fqn", n.fqn());
        node.put("path", n.file().toString());
        node.put("original_file_path", n.file().toString());
        node.put("config", config);
        node.put("tags", config.getOrDefault("tags", List.of()));
        Parsed p = new Parsed(n);
        Map<String, TemplateFunction> fns = functions(n, false, p, new LinkedHashMap<>(), Map.of(), Map.of(), null);
        Map<String, Object> v = vars(n, new Relation(null, target.schema(), n.name()), null, false);
        v.remove("this");
        v.put("sluice_custom_name", custom);
        v.put("sluice_node", node);
        contextObjects(v, fns);
        String name = templates.render(n.file(), "{{ " + macro + "(sluice_custom_name, sluice_node) }}", v, fns, null).strip();
        if (name.isEmpty() || name.equals("None")) {
            throw new CompilationException(macro + " gave no name for " + n.type().label() + " '" + n.name() + "'",
                    SourceLocation.of(n.file()));
        }
        generatedNames.put(key, name);
        return name;
    }

    private Map<String, Object> vars(Node n, Relation self, Object testedModel, boolean execute) {
        Map<String, Object> v = new HashMap<>();
        v.put("this", RelationRef.of(self, adapter));
        v.put("target", target.templateView());
        // dbt's `database` and `schema` globals: where the node builds (snapshot configs say target_schema=schema).
        v.put("database", self != null && self.database() != null ? self.database() : target.templateView().get("database"));
        v.put("schema", self != null && self.schema() != null ? self.schema() : target.schema());
        // dbt's thread_id: the worker thread's name as Python names it (hooks record it).
        Thread current = Thread.currentThread();
        v.put("thread_id", current.getName().equals("main") ? "MainThread" : "Thread-" + current.getId());
        // Warnings from the render that builds the SQL; the parse render would repeat them.
        v.put("exceptions", new dev.sluice.template.CompilerExceptions(w -> {
            if (execute) messages.add("[WARNING]: " + w);
        }));
        WarehouseObjects warehouse = warehouse(n, execute);
        v.put("adapter", warehouse.adapterObject());
        v.put("api", warehouse.api());
        v.put("graph", graph);
        v.put("selected_resources", new SelectedResources(selected, () -> renderAtRun.add(n.uniqueId())));
        v.put("project_name", project.name());
        v.put("execute", execute);
        v.put("run_started_at", runStartedAt());
        v.put("invocation_id", options.invocationId());
        v.put("invocation_args_dict", options.invocationArgs());
        v.put("dbt_version", dev.sluice.project.VersionRange.DBT_COMPATIBILITY.toString());
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("FULL_REFRESH", options.fullRefresh());
        flags.put("WHICH", options.command());
        flags.put("STORE_FAILURES", options.storeFailures());
        flags.put("WARN_ERROR", false);
        flags.put("FAIL_FAST", false);
        flags.put("DEBUG", false);
        flags.put("USE_COLORS", false);
        flags.put("PARTIAL_PARSE", false);
        flags.put("EMPTY", false);
        flags.put("INTROSPECT", true);
        flags.put("VERSION_CHECK", true);
        v.put("flags", java.util.Collections.unmodifiableMap(flags));
        Map<String, Object> model = new HashMap<>();
        model.put("name", n.name());
        model.put("unique_id", n.uniqueId());
        model.put("resource_type", n.type().label());
        model.put("path", n.file().toString());
        model.put("original_file_path", n.file().toString());
        model.put("package_name", n.packageName());
        model.put("fqn", n.fqn());
        model.put("raw_code", n.rawCode());
        model.put("language", "sql");
        model.put("description", n.description() == null ? "" : n.description());
        model.put("columns", GraphVariable.columns(n.columns()));
        model.put("tags", Configs.strings(n.config().get("tags")));
        model.put("meta", n.config().getOrDefault("meta", Map.of()));
        model.put("database", self == null ? null : self.database() != null ? self.database() : target.templateView().get("database"));
        model.put("schema", self == null ? null : self.schema());
        model.put("alias", self == null ? n.name() : self.identifier());
        model.put("config", n.config());
        // What it depends on, from the graph (built only if read): none while parsing, as in dbt.
        String uid = n.uniqueId();
        model.put("depends_on", new LazyMap(() -> graphEntry(uid, "depends_on", Map.of("nodes", List.of(), "macros", List.of()))));
        model.put("refs", new LazyList(() -> GraphVariable.refs(dependsOn(uid))));
        model.put("sources", new LazyList(() -> GraphVariable.sources(dependsOn(uid))));
        if (batch != null) {
            // dbt 1.9's model.batch: the batch this render is for.
            Map<String, Object> b = new HashMap<>();
            b.put("id", batch.id(str(parsedById.containsKey(n.uniqueId()) ? parsedById.get(n.uniqueId()).config.get("batch_size") : null)));
            b.put("event_time_start", dev.sluice.template.PyValues.utcDateTime(batch.start().toInstant(java.time.ZoneOffset.UTC)));
            b.put("event_time_end", dev.sluice.template.PyValues.utcDateTime(batch.end().toInstant(java.time.ZoneOffset.UTC)));
            model.put("batch", b);
        } else if (n.type() == NodeType.MODEL) {
            model.put("batch", null); // as in dbt: set only while a batch renders
        }
        v.put("model", model);
        // A segment cut from a template reads its parameter values as params.NAME.
        if (n.config().get("meta") instanceof Map<?, ?> meta && meta.get("segment_parameters") instanceof Map<?, ?> values
                && meta.get("segment_template") instanceof Map<?, ?> template) {
            v.put("params", new SegmentParameters(String.valueOf(template.get("name")), values));
        }
        if (testedModel != null) v.put("__sluice_model", testedModel);
        else if (n.testedId() != null) v.put("__sluice_model", parsedTestedRelation(n.testedId()));
        return v;
    }

    /** The node's depends_on.nodes from the graph: empty while parsing, as in dbt. */
    @SuppressWarnings("unchecked")
    private List<String> dependsOn(String uniqueId) {
        Object nodes = graphEntry(uniqueId, "depends_on", Map.of()).get("nodes");
        return nodes instanceof List<?> l ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> graphEntry(String uniqueId, String key, Map<String, Object> fallback) {
        Object nodes = graph == null ? null : graph.get("nodes");
        Object node = nodes instanceof Map<?, ?> ns ? ns.get(uniqueId) : null;
        Object v = node instanceof Map<?, ?> nm ? nm.get(key) : null;
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : fallback;
    }

    /** run_started_at as dbt gives it: a UTC datetime with strftime, printing as 2024-01-01 10:00:00.123456+00:00. */
    private Object runStartedAt() {
        Object v = runStartedAt;
        if (v == null) {
            try {
                v = dev.sluice.template.PyValues.utcDateTime(java.time.Instant.parse(options.runStartedAt()));
            } catch (RuntimeException e) {
                v = options.runStartedAt();
            }
            runStartedAt = v;
        }
        return v;
    }

    /** run_started_at, parsed once (an immutable value): every node's context has it. */
    private volatile Object runStartedAt;

    /** How many nodes took their SQL from the parse render instead of rendering again (see SinglePass). */
    public int reusedRenders() {
        return reusedRenders.get();
    }

    /** Marks a message from print(), which --no-print hides, apart from log() and warn() output. */
    public static final String PRINTED = "\u0000print:";

    /** What templates printed (log(..., info=True), print, exceptions.warn), in order; the run shows them. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    private WarehouseObjects warehouse(Node n, boolean execute) {
        return new WarehouseObjects(adapter, session, execute, () -> renderAtRun.add(n.uniqueId()),
                running() && !atRun && rendersAgainWhenRun(n));
    }

    /** Models that are built (not inlined) and tests render again on the session that runs them. */
    private boolean rendersAgainWhenRun(Node n) {
        // Project hooks (on-run-start/end) render once, right before they run: their queries are answered then.
        if (n.uniqueId().startsWith("operation.")) return false;
        if (n.type() == NodeType.TEST) return true;
        if (n.type() != NodeType.MODEL || n.isOperatorOutput()) return false;
        Parsed p = parsedById.get(n.uniqueId());
        Object m = p == null ? n.config().get("materialized") : p.config.get("materialized");
        return !"ephemeral".equals(m == null ? null : m.toString());
    }

    /** Whether this compile precedes running nodes, which may then render again (see renderForRun). */
    private boolean running() {
        return Set.of("run", "build", "test", "seed", "snapshot").contains(options.command());
    }

    /** Gives the nodes the run selected, for selected_resources in nodes rendered when they run. */
    public void selected(java.util.function.Supplier<List<String>> ids) {
        this.selected = ids;
    }

    /** Whether a node's SQL is rendered again when it runs (its template asks the warehouse). */
    public boolean rendersAtRun(String uniqueId) {
        return renderAtRun.contains(uniqueId);
    }

    /**
     * Renders a node again on the session that runs it, now that what it reads exists: run_query,
     * adapter.get_relation and get_columns_in_relation see the warehouse as dbt shows it to a running node.
     */
    public String renderForRun(String uniqueId, Session runSession) {
        return renderForRun(uniqueId, runSession, null);
    }

    /**
     * A compiler for one render on the session that runs a node: execute is true and statements run there. It shares
     * this compile's parsed nodes, graph, messages and selection; window is the microbatch batch, or null.
     */
    private Compiler atRunOn(Session runSession, BatchWindow window) {
        Compiler c = new Compiler(project, target, adapter, templates, options, secrets);
        c.batch = window;
        c.session = runSession;
        c.atRun = true;
        c.messages = messages;
        c.selected = selected;
        c.parsedById = parsedById;
        c.ephemeralBodies = ephemeralBodies;
        c.deferred = deferred;
        c.graph = graph;
        return c;
    }

    /** Whether a relation is a table on the run's session (is_incremental() and friends ask it at run time). */
    private static Predicate<Relation> tableOn(Session runSession) {
        return r -> runSession.relationKind(r).filter(k -> k == dev.sluice.adapter.RelationKind.TABLE).isPresent();
    }

    /**
     * Renders a microbatch model for one batch on the session that runs it: each ref() of a node with an
     * event_time reads only that node's rows in the batch, as dbt renders batches.
     */
    public String renderBatch(String uniqueId, Session runSession, BatchWindow window) {
        return renderForRun(uniqueId, runSession, window);
    }

    private String renderForRun(String uniqueId, Session runSession, BatchWindow window) {
        Parsed p = parsedById.get(uniqueId);
        Compiler c = atRunOn(runSession, window);
        Node n = p.node;
        Relation self = relationsById.get(uniqueId);
        Object tested = n.testedId() == null ? null : c.testedRelation(n.testedId(), relationsById, compiledById, p.config);
        Map<String, TemplateFunction> fns = c.functions(n, true, p, new LinkedHashMap<>(), relationsById, compiledById, tableOn(runSession));
        String sql = c.renderTemplate(n, c.vars(n, self, tested, true), fns).strip();
        List<String> ephemerals = ephemeralClosure(p.dependsOn, compiledById);
        if (!ephemerals.isEmpty()) {
            StringBuilder ctes = new StringBuilder();
            for (String e : ephemerals) {
                CompiledNode ec = compiledById.get(e);
                ctes.append(cteName(ec.name())).append(" as (\n").append(ephemeralBodies.getOrDefault(e, ec.compiledSql())).append("\n),\n");
            }
            sql = Ctes.prepend(sql, ctes.toString());
        }
        writeCompiled(n, sql);
        return sql;
    }

    /**
     * Functions that are objects too (config.get) are variables as well, as in dbt's context; builtins holds the
     * original ref, source and config for projects that override them with macros.
     */
    /** dbt's default materialized of each node type (its node config classes' defaults). */
    private static String defaultMaterialized(NodeType type) {
        return switch (type) {
            case MODEL -> "view";
            case SEED -> "seed";
            case SNAPSHOT -> "snapshot";
            case TEST -> "test";
            case UNIT_TEST -> "unit";
            default -> null;
        };
    }

    private static void contextObjects(Map<String, Object> vars, Map<String, TemplateFunction> fns) {
        // model.config is the config as this render has it (the file's own config() included), as in dbt.
        if (vars.get("model") instanceof Map<?, ?> m && fns.get("config") instanceof ConfigObject config) {
            @SuppressWarnings("unchecked")
            Map<String, Object> model = (Map<String, Object>) m;
            model.put("config", config.view());
        }
        fns.forEach((name, fn) -> {
            if (fn instanceof dev.sluice.template.JinjaObject) vars.putIfAbsent(name, fn);
        });
        Map<String, Object> builtins = new LinkedHashMap<>();
        for (String b : List.of("ref", "source", "config", "var", "env_var", "is_incremental")) {
            if (fns.containsKey(b)) builtins.put(b, fns.get(b));
        }
        vars.putIfAbsent("builtins", new WarehouseObjects.Namespace("builtins", builtins));
    }

    /** --defer: ref() to these nodes renders the given relation (set before compile). */
    public void deferTo(Map<String, Relation> relations) {
        this.deferred = Map.copyOf(relations);
    }

    /**
     * The vars and env vars a node's templates read while compiling, by "var.NAME" / "env_var.NAME", with their
     * values as text; empty for a node not compiled.
     */
    public Map<String, String> inputsUsed(String uniqueId) {
        Parsed p = parsedById.get(uniqueId);
        return p == null ? Map.of() : java.util.Collections.unmodifiableMap(p.inputsUsed);
    }

    /** Whether the project or a package has a {% materialization %} block for this node's materialized config. */
    public boolean hasCustomMaterialization(CompiledNode c) {
        return templates.materialization(c.materialized()) != null;
    }

    /**
     * Runs a model's {% materialization %} block on the session that builds it, with sql / compiled_code,
     * pre_hooks and post_hooks in its context as dbt gives them; the block's statements do the work.
     */
    public void runMaterialization(CompiledNode c, Session runSession) {
        List<String> found = templates.materialization(c.materialized());
        String id = c.uniqueId();
        Parsed p = parsedById.get(id);
        String sql = rendersAtRun(id) ? renderForRun(id, runSession) : c.compiledSql();
        Compiler r = atRunOn(runSession, null);
        Node n = p.node;
        Map<String, TemplateFunction> fns = r.functions(n, true, p, new LinkedHashMap<>(), relationsById, compiledById, tableOn(runSession));
        Map<String, Object> vars = r.vars(n, relationsById.get(id), null, true);
        vars.put("sql", sql);
        vars.put("compiled_code", sql);
        List<Object> pre = new ArrayList<>();
        for (String h : c.preHooks()) pre.add(Map.of("sql", h, "transaction", true));
        List<Object> post = new ArrayList<>();
        for (String h : c.postHooks()) post.add(Map.of("sql", h, "transaction", true));
        vars.put("pre_hooks", pre);
        vars.put("post_hooks", post);
        String call = "{%- do " + found.get(0) + "." + found.get(1) + "() -%}";
        Node callNode = n.withCode(call, 0);
        r.renderTemplate(callNode, vars, fns);
    }

    private String renderTemplate(Node n, Map<String, Object> vars, Map<String, TemplateFunction> fns) {
        return renderTemplate(n, vars, fns, null, true);
    }

    /** Whether the project or a package defines get_incremental_STRATEGY_sql (a custom incremental strategy). */
    public boolean hasIncrementalStrategy(String strategy) {
        String macro = "get_incremental_" + strategy + "_sql";
        return templates.userMacros().values().stream().anyMatch(names -> names.contains(macro));
    }

    /**
     * The SQL of a custom incremental strategy: get_incremental_STRATEGY_sql(arg_dict) rendered on the session
     * that runs the model, with dbt's arg_dict (target_relation, temp_relation holding the new rows, unique_key,
     * dest_columns, incremental_predicates).
     */
    public String incrementalStrategySql(CompiledNode c, Session runSession, String strategy, Relation into,
                                         Relation staged, List<dev.sluice.adapter.ColumnInfo> destColumns) {
        String id = c.uniqueId();
        Parsed p = parsedById.get(id);
        Compiler r = atRunOn(runSession, null);
        Node n = p.node;
        Map<String, TemplateFunction> fns = r.functions(n, true, p, new LinkedHashMap<>(), relationsById, compiledById, tableOn(runSession));
        Map<String, Object> vars = r.vars(n, relationsById.get(id), null, true);
        Map<String, Object> argDict = new LinkedHashMap<>();
        argDict.put("target_relation", RelationRef.of(into, adapter));
        argDict.put("temp_relation", RelationRef.of(staged, adapter));
        argDict.put("unique_key", c.config().get("unique_key"));
        List<Object> columns = new ArrayList<>();
        for (dev.sluice.adapter.ColumnInfo col : destColumns) columns.add(new ColumnObject(col.name(), col.dataType(), adapter));
        argDict.put("dest_columns", columns);
        Object predicates = c.config().get("incremental_predicates");
        argDict.put("incremental_predicates", predicates != null ? predicates : c.config().get("predicates"));
        vars.put("sluice_arg_dict", argDict);
        String call = "{{ get_incremental_" + strategy + "_sql(sluice_arg_dict) }}";
        Node callNode = n.withCode(call, 0);
        return r.renderTemplate(callNode, vars, fns).strip();
    }

    /** keep false: the parse render, whose template is not kept (TemplateEngine.renderOnce). */
    private String renderTemplate(Node n, Map<String, Object> vars, Map<String, TemplateFunction> fns,
                                  dev.sluice.template.RenderTrace trace, boolean keep) {
        contextObjects(vars, fns);
        try {
            String rendered = keep ? templates.render(n.file(), n.rawCode(), vars, fns, packageOf(n), trace)
                    : templates.renderOnce(n.file(), n.rawCode(), vars, fns, packageOf(n), trace);
            String sql = SubqueryRefs.EVENT_TIME.finish(rendered);
            return options.empty() ? SubqueryRefs.EMPTY.finish(sql) : sql;
        } catch (CompilationException e) {
            if (n.lineOffset() > 0 && e.location().isPresent()) {
                SourceLocation l = e.location().get();
                throw new CompilationException(e.getMessage(),
                        new SourceLocation(l.file(), l.line() > 0 ? l.line() + n.lineOffset() : n.lineOffset() + 1, l.column()), e);
            }
            throw e;
        }
    }

    /**
     * The functions a template calls. In the first pass they record what they are asked for; in the second
     * they answer with real relations.
     */
    private Map<String, TemplateFunction> functions(Node n, boolean execute, Parsed p, Map<String, Object> inFileConfig,
                                                    Map<String, Relation> relations, Map<String, CompiledNode> compiled,
                                                    Predicate<Relation> exists) {
        Map<String, TemplateFunction> f = new HashMap<>();
        f.put("ref", (args, kw) -> {
            if (args.isEmpty() || args.size() > 2) {
                throw new CompilationException("ref() takes a model name, or a package name and a model name", null);
            }
            String name = String.valueOf(args.get(args.size() - 1));
            String pkg = args.size() == 2 ? String.valueOf(args.get(0)) : null;
            if (pkg != null && !project.hasPackage(pkg)) {
                throw new CompilationException(n.type().label() + " '" + n.name() + "' refers to '" + pkg + "." + name
                        + "', but there is no package '" + pkg + "' (is it in packages.yml, and did `engine deps` run?)", null);
            }
            Object version = kw.containsKey("v") ? kw.get("v") : kw.get("version");
            Node target = resolveRef(pkg, version == null ? name : name + ".v" + versionText(version), n.packageName());
            if (target == null && version != null && resolveRef(pkg, name, n.packageName()) != null) {
                throw new CompilationException(n.type().label() + " '" + n.name() + "' refers to version " + versionText(version)
                        + " of model '" + name + "', which has no such version", null);
            }
            if (target == null) {
                throw new CompilationException(n.type().label() + " '" + n.name() + "' refers to '"
                        + (pkg == null ? name : pkg + "." + name) + "', which is not a model, seed or snapshot "
                        + (pkg == null ? "in this project" : "of package '" + pkg + "'") + suggestion(name), null);
            }
            if (!execute) {
                if (!p.dependsOn.contains(target.uniqueId())) p.dependsOn.add(target.uniqueId());
                Relation seen = relationOf(target, target.config());
                p.refsSeen.put(target.uniqueId(), seen);
                p.refCalls.add(List.of(pkg == null ? "" : pkg, name, target.uniqueId()));
                return RelationRef.of(seen, adapter);
            }
            CompiledNode c = compiled.get(target.uniqueId());
            if (c != null && c.isEphemeral()) {
                // --empty reads no rows of an ephemeral model either, as dbt limits every ref.
                RelationRef cte = RelationRef.cte(cteName(c.name()));
                return options.empty() ? SubqueryRefs.empty(cte) : cte;
            }
            RelationRef real = RelationRef.of(deferred.getOrDefault(target.uniqueId(), relations.get(target.uniqueId())), adapter);
            if (batch != null && eventTimeOf(target) != null) return SubqueryRefs.filtered(real, eventTimeOf(target), batch);
            return options.empty() ? SubqueryRefs.empty(real) : real;
        });
        f.put("source", (args, kw) -> {
            if (args.size() != 2) throw new CompilationException("source() takes a source name and a table name", null);
            String id = null;
            SourceTable s = null;
            for (String pkg : searchOrder(null, n.packageName())) {
                id = "source." + pkg + "." + args.get(0) + "." + args.get(1);
                s = sources.get(id);
                if (s != null) break;
            }
            if (s == null) {
                throw new CompilationException(n.type().label() + " '" + n.name() + "' reads source '" + args.get(0)
                        + "." + args.get(1) + "', which no schema file declares", null);
            }
            if (!execute && !p.dependsOn.contains(id)) p.dependsOn.add(id);
            if (!execute) {
                p.sourceCalls.add(java.util.Arrays.asList(String.valueOf(args.get(0)), String.valueOf(args.get(1)), id,
                        s.database(), s.schema(), s.identifier()));
            }
            RelationRef real = RelationRef.of(new Relation(s.database(), s.schema(), s.identifier()), adapter);
            return execute && options.empty() ? SubqueryRefs.empty(real) : real;
        });
        f.put("var", (args, kw) -> {
            if (args.isEmpty()) throw new CompilationException("var() needs a variable name", null);
            String name = String.valueOf(args.get(0));
            Optional<VarValue> v = lookupVar(name, n.packageName());
            Object value = v.isPresent() ? v.get().value() : args.size() > 1 ? args.get(1) : kw.containsKey("default") ? kw.get("default") : null;
            if (v.isPresent() || args.size() > 1 || kw.containsKey("default")) {
                if (p != null) p.inputsUsed.put("var." + name, String.valueOf(value));
                return value;
            }
            throw new CompilationException("required var '" + name + "' is not set: pass it with --vars or add it "
                    + "under vars: in the project file", null);
        });
        f.put("config", new ConfigObject(n.name(), p.config, inFileConfig, execute ? null : p.configReads, defaultMaterialized(n.type())));
        WarehouseObjects warehouse = warehouse(n, execute);
        f.put("run_query", (args, kw) -> warehouse.runQuery(String.valueOf(WarehouseObjects.arg(args, kw, 0, "sql"))));
        f.put("is_incremental", (args, kw) -> {
            if (!execute) p.sideEffects = true;
            if (!execute || exists == null || Configs.fullRefresh(p.config, options.fullRefresh())) return false;
            if (!"incremental".equals(str(p.config.get("materialized")))) return false;
            return exists.test(relations.get(n.uniqueId()));
        });
        TemplateFunction envVar = secrets.envVar();
        f.put("env_var", (args, kw) -> {
            Object value = envVar.call(args, kw);
            if (p != null) p.inputsUsed.put("env_var." + args.get(0), String.valueOf(value));
            if (!execute && p != null && !args.isEmpty()) {
                String name = String.valueOf(args.get(0));
                Object fallback = args.size() > 1 ? args.get(1) : kw.get("default");
                p.envCalls.add(java.util.Arrays.asList(name, envDigest(name), fallback == null ? null : String.valueOf(fallback)));
            }
            return value;
        });
        // statement blocks keep their results per render, for load_result, as dbt's do per node.
        Map<String, Object> results = new LinkedHashMap<>();
        f.put("store_result", (args, kw) -> {
            Object table = WarehouseObjects.arg(args, kw, 2, "agate_table");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("response", WarehouseObjects.arg(args, kw, 1, "response"));
            r.put("data", table instanceof AgateTable t ? t.data() : List.of());
            r.put("table", table);
            results.put(String.valueOf(WarehouseObjects.arg(args, kw, 0, "name")), r);
            return "";
        });
        f.put("store_raw_result", (args, kw) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("response", Map.of("_message", String.valueOf(kw.getOrDefault("message", "OK")),
                    "code", String.valueOf(kw.getOrDefault("code", "OK"))));
            Object table = kw.get("agate_table");
            r.put("data", table instanceof AgateTable t ? t.data() : List.of());
            r.put("table", table);
            results.put(String.valueOf(WarehouseObjects.arg(args, kw, 0, "name")), r);
            return "";
        });
        f.put("load_result", (args, kw) -> results.get(String.valueOf(WarehouseObjects.arg(args, kw, 0, "name"))));
        // log(msg, info=True) and print(msg) reach the console as in dbt; they add nothing to the SQL.
        f.put("log", (args, kw) -> {
            Object info = args.size() > 1 ? args.get(1) : kw.get("info");
            if (!execute && Boolean.TRUE.equals(info)) p.sideEffects = true;
            if (execute && Boolean.TRUE.equals(info)) messages.add(String.valueOf(args.isEmpty() ? "" : args.get(0)));
            return "";
        });
        f.put("print", (args, kw) -> {
            if (!execute) p.sideEffects = true;
            if (execute) messages.add(PRINTED + (args.isEmpty() ? "" : String.valueOf(args.get(0))));
            return "";
        });

        return f;
    }

    /**
     * A var as dbt finds it: --vars, the root project's vars for the node's package, its global vars, then the
     * package's own dbt_project.yml vars (scoped, then global).
     */
    /** A var's value, which may be none: a var set to nothing (event_time_var:) is set, as in dbt. */
    private record VarValue(Object value) {
    }

    private Optional<VarValue> lookupVar(String name, String pkg) {
        if (options.vars().containsKey(name)) return Optional.of(new VarValue(options.vars().get(name)));
        List<ProjectConfig> files = new ArrayList<>();
        files.add(project.config());
        ProjectConfig own = project.configOf(pkg);
        if (own != null && own != project.config()) files.add(own);
        for (ProjectConfig pc : files) {
            Object scoped = pc.vars().get(pkg == null ? project.name() : pkg);
            if (scoped instanceof Map<?, ?> m && m.containsKey(name)) return Optional.of(new VarValue(renderProjectVar(m.get(name))));
            if (pc.vars().containsKey(name) && !(project.hasPackage(name) && pc.vars().get(name) instanceof Map)) {
                return Optional.of(new VarValue(renderProjectVar(pc.vars().get(name))));
            }
        }
        return Optional.empty();
    }

    /**
     * Packages ref() and source() search, in dbt's order: the named one only; else the root project, the
     * node's own package, then any package.
     */
    private List<String> searchOrder(String target, String nodePackage) {
        if (target != null) return List.of(target);
        List<String> order = new ArrayList<>();
        order.add(project.name());
        if (nodePackage != null && !order.contains(nodePackage)) order.add(nodePackage);
        for (String pkg : project.packages().keySet()) if (!order.contains(pkg)) order.add(pkg);
        return order;
    }

    /** v=2 and v='2' and v=2.0 name the same version, as written in YAML. */
    private static String versionText(Object v) {
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) return String.valueOf(num.longValue());
        return String.valueOf(v);
    }

    /** A node's event_time config (its in-file config() included), or null. */
    private String eventTimeOf(Node n) {
        Parsed p = parsedById.get(n.uniqueId());
        Object et = (p == null ? n.config() : p.config).get("event_time");
        return et == null || et.toString().isBlank() ? null : et.toString();
    }

    private Node resolveRef(String pkg, String name, String nodePackage) {
        for (String candidate : searchOrder(pkg, nodePackage)) {
            Node found = byPackage.getOrDefault(candidate, Map.of()).get(name);
            if (found != null) return found;
        }
        return null;
    }

    /** The package whose macros a node's template finds first; null for the root project. */
    private String packageOf(Node n) {
        String pkg = n.packageName();
        return pkg.equals(project.name()) || !project.packages().containsKey(pkg) ? null : pkg;
    }

    /** vars in the project file may be templates, as in dbt: api_key: "{{ env_var('API_KEY') }}". */
    private Object renderProjectVar(Object v) {
        if (!(v instanceof String s) || !(s.contains("{{") || s.contains("{%"))) return v;
        Map<String, TemplateFunction> fns = new HashMap<>();
        fns.put("env_var", secrets.envVar());
        return templates.render(Path.of("dbt_project.yml"), s, Map.of(), fns);
    }

    private String suggestion(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String candidate : byPackage.values().stream().flatMap(m -> m.keySet().stream()).distinct().toList()) {
            int d = dev.sluice.error.EditDistance.of(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = candidate;
            }
        }
        return best != null && bestD <= Math.max(2, name.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }


    private Path writeCompiled(Node n, String sql) {
        if (options.compiledDir() == null || n.isOperatorOutput()) return null;
        // Nodes declared in YAML (tests, operators, segments) and snapshot blocks get a file of their own.
        boolean ownFile = n.file().toString().endsWith(".sql") && n.type() != NodeType.SNAPSHOT;
        // A unit test of one version of a model is named by its unique id's last part (doubles_v2), so the
        // copies for each version do not overwrite each other.
        String own = n.type() == NodeType.UNIT_TEST ? n.uniqueId().substring(n.uniqueId().lastIndexOf('.') + 1) : n.name();
        Path rel = ownFile ? n.file() : n.file().resolve(own + ".sql");
        // As dbt: target/compiled/<package>/<path in the package>.
        ProjectConfig pkg = project.configOf(n.packageName());
        if (pkg != null && pkg != project.config()) rel = pkg.root().relativize(project.config().root().resolve(rel));
        Path out = options.compiledDir().resolve(pkg == null ? project.name() : pkg.name()).resolve(rel);
        // What the warehouse runs keeps the real values; the copy on disk does not.
        String text = secrets.mask(sql) + "\n";
        try {
            // In a folder this compiler made there is no earlier file to compare with.
            if (!compiledFolder(out.getParent()) && unchanged(out, text)) return out;
            // One file at a time per folder: creating files holds the folder's lock in the kernel, and two
            // compile threads creating side by side spun on it (a first run of 1,000 views: 0.5 s of system CPU).
            synchronized (folderLocks.computeIfAbsent(out.getParent(), d -> new Object())) {
                try {
                    Files.writeString(out, text);
                } catch (java.nio.file.NoSuchFileException e) {
                    // The folder went away since it was made (a concurrent clean): made again.
                    compiledFolders.remove(out.getParent());
                    compiledFolder(out.getParent());
                    Files.writeString(out, text);
                }
            }
        } catch (IOException e) {
            throw new EngineException("cannot write " + out + ": " + e.getMessage());
        }
        return out;
    }

    /** An unchanged node's file is left as it is: reading it back costs less than writing it again. */
    private static boolean unchanged(Path out, String text) {
        try {
            return Files.isRegularFile(out) && Files.size(out) == text.length() && Files.readString(out).equals(text);
        } catch (IOException | RuntimeException e) {
            // Unreadable (or not UTF-8): written again.
            return false;
        }
    }

    /**
     * Makes sure a folder of compiled files exists, once per folder: thousands of files share a few folders, and
     * checking each file's folder again cost failing system calls and exceptions per file. True when this compiler
     * made the folder, so it held no file before.
     */
    private boolean compiledFolder(Path dir) throws IOException {
        Boolean made = compiledFolders.get(dir);
        if (made != null) return made;
        try {
            return compiledFolders.computeIfAbsent(dir, d -> {
                try {
                    // A file left by an older layout where a folder is needed now: target/ is ours to rewrite.
                    if (Files.isRegularFile(d)) Files.delete(d);
                    boolean existed = Files.isDirectory(d);
                    if (!existed) Files.createDirectories(d);
                    return !existed;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** First-pass findings for one node. */
    private static final class Parsed {
        final Node node;
        final List<String> dependsOn = new ArrayList<>();
        final Map<String, Object> config;
        /**
         * The vars and env vars the node's templates read, with the values they got ("var.x", "env_var.Y"), so state
         * comparison sees a changed value (dbt misses these: dbt-core #4304). Written by the node's own render only.
         */
        final Map<String, String> inputsUsed = new java.util.concurrent.ConcurrentSkipListMap<>();
        /** Unknown keys given to config() in the file; reported once, from the first pass. */
        final List<String> warnings = new ArrayList<>();
        /** The macros the parse render called, with their digests (from its trace; for the parse cache). */
        Map<String, String> macrosCalled = Map.of();
        String firstSql;
        Relation selfSeen;
        Object testedSeen;
        final Map<String, Relation> refsSeen = new LinkedHashMap<>();
        final Set<String> configReads = new LinkedHashSet<>();
        /** The context variables the parse render read (from its trace, or from the cache). */
        Set<String> read = Set.of();
        /** For the parse cache: ref(), source() and env_var() calls of the parse render (see ParseCache.Entry). */
        final List<List<String>> refCalls = new ArrayList<>();
        final List<List<String>> sourceCalls = new ArrayList<>();
        final List<List<Object>> envCalls = new ArrayList<>();
        /** The first render called something whose effect only the executing render has (log, warn, is_incremental). */
        volatile boolean sideEffects;

        SinglePass.FirstPass firstPass() {
            return new SinglePass.FirstPass(firstSql, read, sideEffects, selfSeen, refsSeen,
                    testedSeen instanceof RelationRef r ? r.relation() : null, node.testedId() != null && !(testedSeen instanceof RelationRef),
                    configReads, node.config(), config);
        }

        Parsed(Node node) {
            this.node = node;
            this.config = new LinkedHashMap<>(node.config());
        }
    }
}
