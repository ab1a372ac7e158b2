package dev.sluice.task;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.CachingSession;
import dev.sluice.adapter.LazySession;
import dev.sluice.adapter.RelationCache;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompileOptions;
import dev.sluice.compile.Compiler;
import dev.sluice.compile.Secrets;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.project.ProjectLoader;
import dev.sluice.project.ProfileLoader;
import dev.sluice.project.Target;
import dev.sluice.project.YamlRenderer;
import dev.sluice.template.TemplateEngine;
import dev.sluice.template.TemplateFunction;
import dev.sluice.template.TemplateSettings;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A loaded project with its target and adapter: what every command starts from. Close it to disconnect. */
public final class Workspace implements AutoCloseable {
    private final Invocation invocation;
    private final ProjectConfig config;
    private final Target target;
    private final Adapter adapter;
    private final Project project;
    private final TemplateEngine templates;
    private final String invocationId;
    /** What exists in the warehouse, shared by every session of this invocation. */
    private final RelationCache relations = new RelationCache();
    private final Instant startedAt = Instant.now();
    /** The compiler of the latest compile, which renders again the nodes that query the warehouse. */
    private volatile Compiler lastCompile;
    private final Secrets secrets;

    private Workspace(Invocation invocation, ProjectConfig config, Target target, Adapter adapter, Project project,
                      TemplateEngine templates, Secrets secrets) {
        this.secrets = secrets;
        this.invocation = invocation;
        this.config = config;
        this.target = target;
        this.adapter = adapter;
        this.project = project;
        this.templates = templates;
        this.invocationId = invocation.flags().invocationId() != null ? invocation.flags().invocationId() : UUID.randomUUID().toString();
    }

    /** The project file, with --target-path applied. */
    public static ProjectConfig loadConfig(Invocation inv) {
        ProjectConfig config = new ProjectConfigLoader().load(inv.projectDir());
        return inv.flags().targetPath() == null ? config : config.withTargetPath(inv.flags().targetPath());
    }

    /** Reads the project file and profile only; no adapter is opened. */
    public static Target loadTarget(Invocation inv, ProjectConfig config) {
        return loadTarget(inv, config, new Secrets());
    }

    /** Also records the profile's secrets (passwords, tokens, passphrases) for masking. */
    public static Target loadTarget(Invocation inv, ProjectConfig config, Secrets secrets) {
        return loadTarget(inv, config, secrets, new TemplateEngine(List.of()));
    }

    /** As above, rendering the profile's Jinja with plain (whose renders() then counts them). */
    private static Target loadTarget(Invocation inv, ProjectConfig config, Secrets secrets, TemplateEngine plain) {
        ProfileLoader profiles = new ProfileLoader(s -> s.contains("{{") || s.contains("{%")
                ? plain.render(Path.of("profiles.yml"), s, Map.of(), Map.of("env_var", secrets.secretEnvVar())) : s);
        Target target = profiles.load(inv.profilesDir(), config, inv.target());
        target.settings().forEach((k, v) -> {
            if (Target.isSecret(k)) secrets.add(v);
        });
        return target;
    }

    public static Workspace open(Invocation inv) {
        return open(inv, (phase, nanos) -> { });
    }

    /**
     * Opens the workspace, telling phases how long each step took (read_files, parse_project, load_macros), for
     * parse's perf_info.json.
     */
    public static Workspace open(Invocation inv, java.util.function.ObjLongConsumer<String> phases) {
        long t0 = System.nanoTime();
        ProjectConfig config = loadConfig(inv);
        // The parse cache is read while the project loads (the second core is otherwise idle then).
        dev.sluice.compile.ParseCache.Prefetch early = inv.flags().partialParse()
                ? dev.sluice.compile.ParseCache.prefetch(config.targetDir().resolve(PARSE_CACHE)) : null;
        Secrets secrets = new Secrets();
        // Every template rendered while loading, counted: see UnchangedCompile.
        TemplateEngine plain = new TemplateEngine(List.of());
        Target target = loadTarget(inv, config, secrets, plain);
        long t1 = System.nanoTime();
        phases.accept("read_files", t1 - t0);
        ProjectLoader.Loaded loaded = new ProjectLoader().loadCounted(config,
                yamlRenderer(inv, config, target, secrets, plain));
        Project project = loaded.project().withWarnings(ProfileLoader.unknownKeys(target));
        long t2 = System.nanoTime();
        phases.accept("parse_project", t2 - t1);
        TemplateEngine templates = new TemplateEngine(project.macroFiles(),
                new TemplateSettings(project.name(), target.type(), config.dispatch()));
        // The project's macros are compiled (a syntax error reported even in one no model calls) unless the parse
        // cache was written when these same macros compiled with this engine build: a command the cache serves
        // then starts no template engine at all.
        String macros = templates.userMacros().isEmpty() ? null : macrosDigest(templates);
        if (macros != null && (early == null || !macros.equals(early.macros()))) templates.checkMacros();
        phases.accept("load_macros", System.nanoTime() - t2);
        Adapter adapter = Adapters.forTarget(target);
        Workspace ws = new Workspace(inv, config, target, adapter, project, templates, secrets);
        ws.earlyParseCache = early;
        ws.macrosDigest = macros;
        ws.loadRenders = plain.renders() + loaded.docRenders();
        return ws;
    }

    /**
     * This workspace with one more model, named inline, whose SQL is the given snippet: compiled in the project's
     * context (refs, macros, vars) like any model, as dbt compiles --inline; never built.
     */
    public Workspace withInline(String sql) {
        return withAdHoc(Map.of("inline", sql));
    }

    /**
     * This workspace with extra models, one per entry (name to SQL), compiled in the project's context like any
     * model and never built: --inline, and the dashboard's queries.
     */
    public Workspace withAdHoc(Map<String, String> namedSql) {
        java.util.List<dev.sluice.project.Node> nodes = new java.util.ArrayList<>(project.nodes());
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(namedSql).entrySet()) {
            String id = "model." + project.name() + "." + e.getKey();
            if (project.node(id).isPresent()) {
                throw new ConfigException((e.getKey().equals("inline") ? "--inline" : "an ad-hoc query") + " needs the name '"
                        + e.getKey() + "', but the project has a model of that name");
            }
            nodes.add(new dev.sluice.project.Node(id, dev.sluice.project.NodeType.MODEL, e.getKey(), java.nio.file.Path.of(e.getKey()),
                    List.of(project.name(), e.getKey()), e.getValue(), Map.of("materialized", "view"), "", List.of(), null, null, 0));
        }
        Project p = new Project(project.config(), List.copyOf(nodes), project.sources(), project.macroFiles(), project.docs(),
                project.warnings(), project.packages(), project.unitTests(), project.groups(), project.docBlocks());
        Workspace inline = new Workspace(invocation, config, target, adapter, p, templates, secrets);
        inline.earlyParseCache = earlyParseCache;
        inline.macrosDigest = macrosDigest;
        inline.loadRenders = loadRenders;
        return inline;
    }

    /**
     * Jinja in schema YAML values, rendered as dbt renders it: with var (command line, then the project's vars),
     * env_var and target only.
     */
    /**
     * The renderer of Jinja in YAML files read outside the project load (selectors.yml): var, env_var and target
     * of this invocation. Reads the project file and the profile; connects to nothing.
     */
    public static YamlRenderer yamlRenderer(Invocation inv) {
        ProjectConfig config = loadConfig(inv);
        Secrets secrets = new Secrets();
        return yamlRenderer(inv, config, loadTarget(inv, config, secrets), secrets, new TemplateEngine(List.of()));
    }

    private static YamlRenderer yamlRenderer(Invocation inv, ProjectConfig config, Target target, Secrets secrets,
                                             TemplateEngine plain) {
        Map<String, TemplateFunction> fns = Map.of("env_var", secrets.envVar(), "var", (args, kw) -> {
            if (args.isEmpty()) throw new ConfigException("var() needs a variable name");
            String name = String.valueOf(args.get(0));
            if (inv.vars().containsKey(name)) return inv.vars().get(name);
            if (config.vars().get(config.name()) instanceof Map<?, ?> scoped && scoped.containsKey(name)) return scoped.get(name);
            if (config.vars().containsKey(name)) return config.vars().get(name);
            if (args.size() > 1) return args.get(1);
            if (kw.containsKey("default")) return kw.get("default");
            throw new ConfigException("required var '" + name + "' is not set: pass it with --vars or add it under vars: "
                    + "in the project file");
        });
        Map<String, Object> vars = Map.of("target", target.templateView(), "project_name", config.name());
        return (at, text) -> {
            try {
                return plain.render(at.file(), text, vars, fns);
            } catch (EngineException e) {
                // The value's own line in the YAML file, plus the line within a multi-line value.
                int within = e.location().map(SourceLocation::line).orElse(1);
                throw new ConfigException(e.getMessage(), new SourceLocation(at.file(), at.line() + Math.max(0, within - 1), 0), e);
            }
        };
    }

    private Compiler compiler() {
        return withParseCache(uncachedCompiler());
    }

    /** A compiler without the parse cache, for what renders no node (on-run-end hooks): reading the cache costs. */
    private Compiler uncachedCompiler() {
        CompileOptions options = new CompileOptions(invocation.vars(), invocation.fullRefresh(),
                config.targetDir().resolve("compiled"), startedAt.toString(), invocationId, invocation.command(),
                true, invocation.flags().empty(), invocation.storeFailures(), invocationArgs());
        return new Compiler(project, target, adapter, templates, options, secrets);
    }

    /** Templates rendered while the workspace opened (profile, YAML files, descriptions). */
    private volatile long loadRenders;

    /**
     * How many templates were rendered since the workspace opened, its loading included: none means every node's
     * SQL came from the parse cache and no value anywhere was computed by a template.
     */
    public long templateRenders() {
        return loadRenders + templates.renders();
    }

    /** The digest of the project's macros, which compiled when this workspace opened or before; null: none. */
    private volatile String macrosDigest;

    private static String macrosDigest(TemplateEngine templates) {
        return dev.sluice.compile.ParseCache.digest(buildIdentity(), templates.userMacrosDigest());
    }

    /** The read of the parse cache started when the workspace opened, used by the first compile; or null. */
    private volatile dev.sluice.compile.ParseCache.Prefetch earlyParseCache;

    /** The compile's parse cache, or null when --no-partial-parse turned it off or nothing was compiled yet. */
    private volatile dev.sluice.compile.ParseCache parseCache;

    /** Partial parsing, as dbt's: the cache in target/ (see ParseCache), unless --no-partial-parse. */
    private Compiler withParseCache(Compiler c) {
        java.nio.file.Path file = config.targetDir().resolve(PARSE_CACHE);
        if (!invocation.flags().partialParse()) {
            dev.sluice.compile.ParseCache.delete(file);
            return c;
        }
        // A compile earlier in this process may still be writing the file this one reads.
        awaitParseCache();
        dev.sluice.compile.ParseCache cache = dev.sluice.compile.ParseCache.load(file, parseCacheKey(), earlyParseCache);
        if (macrosDigest != null) cache.macrosChecked(macrosDigest);
        this.parseCache = cache;
        c.parseCache(cache);
        return c;
    }

    /** Where the parse cache is kept in the target folder. */
    public static final String PARSE_CACHE = "partial_parse.json";

    /**
     * What every node's parse may depend on: the engine build, the target and profile, --vars and --empty, each
     * project file (vars, dispatch, quoting, configs), and which macros exist. A change to any of them parses
     * everything again; changes to one node, macro text or env var are told apart per node.
     */
    private String parseCacheKey() {
        List<String> parts = new java.util.ArrayList<>();
        parts.add(buildIdentity());
        parts.add(String.valueOf(new java.util.TreeMap<>(target.templateView())));
        parts.add(target.name() + " " + target.type());
        parts.add(String.valueOf(invocation.vars()));
        parts.add(String.valueOf(invocation.flags().empty()));
        List<ProjectConfig> files = new java.util.ArrayList<>();
        files.add(config);
        files.addAll(project.packages().values());
        for (ProjectConfig pc : files) {
            parts.add(pc.name());
            try {
                parts.add(java.nio.file.Files.readString(pc.file()));
            } catch (java.io.IOException | RuntimeException e) {
                parts.add(UUID.randomUUID().toString());
            }
        }
        parts.add(String.valueOf(new java.util.TreeMap<>(templates.userMacros()).entrySet().stream()
                .map(e -> e.getKey() + "=" + new java.util.TreeSet<>(e.getValue())).toList()));
        return dev.sluice.compile.ParseCache.digest(parts.toArray(String[]::new));
    }

    /** The engine build: its version, and its jar's path, size and time (two builds of one version differ). */
    private static String buildIdentity() {
        try {
            java.nio.file.Path jar = java.nio.file.Path.of(Compiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return dev.sluice.log.Version.current().line() + "\n" + jar + " " + java.nio.file.Files.size(jar) + " "
                    + java.nio.file.Files.getLastModifiedTime(jar);
        } catch (Exception e) {
            return UUID.randomUUID().toString(); // an unknown build never reuses a cache, nor skips a check
        }
    }

    /** Tells the log how much of the latest compile's parse came from the cache (a debug event). */
    public void reportParseCache(dev.sluice.exec.Progress progress) {
        int[] c = parseCacheCounts();
        if (c == null) return;
        progress.log().debug("PartialParse", "Partial parse: reused the cached parse of " + c[0] + " of " + c[1] + " nodes",
                Map.of("reused", c[0], "parsed", c[1] - c[0]));
    }

    /** Whether the latest compile reused every node's cached parse and left the cache file as it read it. */
    public boolean parseCacheUnchanged() {
        dev.sluice.compile.ParseCache c = parseCache;
        return c != null && c.misses() == 0 && c.unchanged();
    }

    /** "reused N of M" of the latest compile's parse cache, or null when it had none. */
    public int[] parseCacheCounts() {
        dev.sluice.compile.ParseCache c = parseCache;
        return c == null ? null : new int[]{c.hits(), c.hits() + c.misses()};
    }

    /**
     * What a listing needs: refs, configs and the graph. Neither the warehouse nor Calcite is asked, and no
     * compiled SQL is written, which is most of a compile's cost.
     */
    public Manifest compileForListing() {
        CompileOptions options = new CompileOptions(invocation.vars(), invocation.fullRefresh(), null,
                startedAt.toString(), invocationId, invocation.command(), false, false, false, invocationArgs());
        Compiler c = withParseCache(new Compiler(project, target, adapter, templates, options, secrets));
        // Kept for inputsUsed (state comparison in ls); a listing renders nothing at run.
        this.lastCompile = c;
        return c.compile(null, null);
    }

    public List<String> renderOnRunEnd(Manifest m, List<Map<String, Object>> results) {
        return uncachedCompiler().renderOnRunEnd(m, results);
    }

    /** The macro names of the project and its installed packages, by package: what run-operation may call. */
    public java.util.Map<String, java.util.Set<String>> userMacros() {
        return templates.userMacros();
    }

    /** Runs a macro as run-operation does, on the session given; returns what it logged. */
    public List<String> runOperation(String pkg, String macro, java.util.Map<String, Object> args, Session session) {
        // ref() and source() in the macro resolve against the project, read as ls reads it (no warehouse needed).
        Manifest project = compileForListing();
        Compiler c = compiler();
        try {
            c.runOperation(pkg, macro, args, session, project);
        } finally {
            this.lastCompile = c;
        }
        return c.messages();
    }

    /** Compiles every node; with a session, is_incremental() and syntax checks ask the warehouse. */
    public Manifest compile(Session session) {
        return compile(session, Map.of());
    }

    /**
     * Compiles every node with ref() to the given nodes rendering the given relations instead (--defer: the state's
     * relations of nodes this run does not build).
     */
    public Manifest compile(Session session, Map<String, dev.sluice.adapter.Relation> deferred) {
        Compiler compiler = compiler();
        compiler.deferTo(deferred);
        this.lastCompile = compiler;
        // is_incremental() is true only over an existing table, as in dbt.
        return compiler.compile(session == null ? null
                : r -> session.relationKind(r).filter(k -> k == dev.sluice.adapter.RelationKind.TABLE).isPresent(), session);
    }

    /**
     * For a node whose template queried the warehouse while compiling, how to render its SQL again on the session
     * that runs it (as dbt renders nodes just before running them); null for every other node.
     */
    public java.util.function.Function<Session, String> sqlAtRun(String uniqueId) {
        Compiler c = lastCompile;
        if (c == null || !c.rendersAtRun(uniqueId)) return null;
        return s -> c.renderForRun(uniqueId, s);
    }

    /** How to render a microbatch model for one batch on the session that runs it; null before a compile. */
    public java.util.function.BiFunction<Session, dev.sluice.compile.BatchWindow, String> batchSql(String uniqueId) {
        Compiler c = lastCompile;
        if (c == null) return null;
        return (s, w) -> c.renderBatch(uniqueId, s, w);
    }

    /** How to run a model's {% materialization %} block, or null when its materialized config is built in. */
    public java.util.function.Consumer<Session> customMaterialization(dev.sluice.compile.CompiledNode n) {
        Compiler c = lastCompile;
        if (c == null || java.util.Set.of("view", "table", "incremental", "ephemeral").contains(n.materialized())
                || !c.hasCustomMaterialization(n)) {
            return null;
        }
        return s -> c.runMaterialization(n, s);
    }

    /**
     * How to get a model's SQL for an incremental strategy the engine does not have from the project's or a
     * package's get_incremental_NAME_sql macro, as dbt does; null for the built-in strategies or without such a macro.
     */
    public dev.sluice.materialize.Incremental.CustomStrategy customIncrementalStrategy(dev.sluice.compile.CompiledNode n) {
        Compiler c = lastCompile;
        if (c == null || !"incremental".equals(n.materialized())) return null;
        String strategy = dev.sluice.materialize.Incremental.strategy(n);
        if (dev.sluice.materialize.Incremental.builtIn(strategy) || !c.hasIncrementalStrategy(strategy)) return null;
        return (s, target, staged, columns) -> c.incrementalStrategySql(n, s, strategy, target, staged, columns);
    }

    /** The nodes this run selected, for selected_resources in templates rendered when their node runs. */
    public void selected(java.util.Collection<String> ids) {
        Compiler c = lastCompile;
        List<String> copy = List.copyOf(ids);
        if (c != null) c.selected(() -> copy);
    }

    /** The vars and env vars a node read in the latest compile ("var.NAME" / "env_var.NAME" to the value). */
    public Map<String, String> inputsUsed(String uniqueId) {
        Compiler c = lastCompile;
        return c == null ? Map.of() : c.inputsUsed(uniqueId);
    }

    /** What templates printed so far (log with info=True, print, exceptions.warn), from the first one. */
    public List<String> templateMessages() {
        Compiler c = lastCompile;
        return c == null ? List.of() : c.messages();
    }

    /** A new session whose relation look-ups go through this invocation's relation cache. */
    public Session openSession() {
        return new CachingSession(adapter.open(), relations);
    }

    /** A session that connects only when first used (compile rarely needs the warehouse). */
    public Session lazySession() {
        return new LazySession(this::openSession);
    }

    public int threads() {
        return invocation.threads() != null ? invocation.threads() : target.threads();
    }

    /**
     * The command's arguments as dbt names them: run_results.json's args and the templates' invocation_args_dict
     * (which, select, exclude, selector, full_refresh, target, threads, vars, ...).
     */
    public Map<String, Object> invocationArgs() {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("which", invocation.command());
        args.put("select", invocation.select());
        if (invocation.selector() != null) args.put("selector", invocation.selector().name());
        args.put("exclude", invocation.exclude());
        args.put("full_refresh", invocation.fullRefresh());
        args.put("target", target.name());
        args.put("threads", threads());
        args.put("vars", invocation.vars());
        args.put("store_failures", invocation.storeFailures());
        args.put("empty", invocation.flags().empty());
        args.put("project_dir", config.root().toString());
        args.put("invocation_command", "engine " + invocation.command());
        return java.util.Collections.unmodifiableMap(args);
    }

    public Invocation invocation() {
        return invocation;
    }

    /** Warnings for config keys of operator nodes that their operator does not read (see OperatorConfigCheck). */
    public List<String> operatorConfigWarnings(dev.sluice.operator.Operators operators) {
        return dev.sluice.operator.OperatorConfigCheck.warnings(operators, project.nodes(), config.root(), config.file());
    }

    public ProjectConfig config() {
        return config;
    }

    public Target target() {
        return target;
    }

    public Adapter adapter() {
        return adapter;
    }

    public Project project() {
        return project;
    }

    /** Secret values of this invocation; everything written or printed passes through its mask. */
    public Secrets secrets() {
        return secrets;
    }

    public String invocationId() {
        return invocationId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Waits for the parse cache's file, which a compile writes in the background (ParseCache.save). */
    private void awaitParseCache() {
        dev.sluice.compile.ParseCache c = parseCache;
        if (c != null) c.awaitSaved();
    }

    /** Files being written on threads of their own, by name, which {@link #close()} waits for; see {@link #writeBeside}. */
    private final Map<String, java.util.concurrent.FutureTask<Void>> writing = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Writes a file on a thread of its own while the command finishes (run_results.json while DuckDB checkpoints
     * at close, which it does on the closing thread): {@link #close()} waits for it and fails with its error, so
     * the file is whole when the command returns. Nothing may read the file before the workspace is closed.
     *
     * @param what the file, for the error when it cannot be written
     */
    void writeBeside(String what, Runnable write) {
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(write, null);
        writing.put(what, task);
        Thread t = new Thread(task, "sluice-artifact-writer");
        // A JVM that exits with an error does not wait for it; close() does otherwise.
        t.setDaemon(true);
        t.start();
    }

    private void awaitWrites() {
        for (Map.Entry<String, java.util.concurrent.FutureTask<Void>> w : writing.entrySet()) {
            try {
                w.getValue().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while writing " + w.getKey());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new EngineException("cannot write " + w.getKey() + ": " + e.getCause().getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            awaitParseCache();
        } finally {
            closeThenAwait(adapter::close, this::awaitWrites);
        }
    }

    /**
     * Closes the warehouse, then waits for the files written beside it, even when the close failed; if both fail,
     * the close's error is thrown with the write's suppressed in it (the warehouse's failure matters more).
     */
    static void closeThenAwait(Runnable close, Runnable awaitWrites) {
        try {
            close.run();
        } catch (RuntimeException | Error closing) {
            try {
                awaitWrites.run();
            } catch (RuntimeException | Error writing) {
                closing.addSuppressed(writing);
            }
            throw closing;
        }
        awaitWrites.run();
    }
}
