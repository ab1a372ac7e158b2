package dev.sluice.task;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.CachingSession;
import dev.sluice.adapter.LazySession;
import dev.sluice.adapter.RelationCache;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompileOptions;
import dev.sluice.compile.Compiler;
import dev.sluice.compile.EnvVars;
import dev.sluice.compile.Manifest;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.project.ProjectLoader;
import dev.sluice.project.ProfileLoader;
import dev.sluice.project.Target;
import dev.sluice.template.TemplateEngine;

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
    private final String invocationId = UUID.randomUUID().toString();
    /** What exists in the warehouse, shared by every session of this invocation. */
    private final RelationCache relations = new RelationCache();
    private final Instant startedAt = Instant.now();

    private Workspace(Invocation invocation, ProjectConfig config, Target target, Adapter adapter, Project project,
                      TemplateEngine templates) {
        this.invocation = invocation;
        this.config = config;
        this.target = target;
        this.adapter = adapter;
        this.project = project;
        this.templates = templates;
    }

    /** Reads the project file and profile only; no adapter is opened. */
    public static Target loadTarget(Invocation inv, ProjectConfig config) {
        TemplateEngine plain = new TemplateEngine(List.of());
        ProfileLoader profiles = new ProfileLoader(s -> s.contains("{{") || s.contains("{%")
                ? plain.render(Path.of("profiles.yml"), s, Map.of(), Map.of("env_var", EnvVars::envVar)) : s);
        return profiles.load(inv.profilesDir(), config, inv.target());
    }

    public static Workspace open(Invocation inv) {
        ProjectConfig config = new ProjectConfigLoader().load(inv.projectDir());
        Target target = loadTarget(inv, config);
        Project project = new ProjectLoader().load(config);
        TemplateEngine templates = new TemplateEngine(project.macroFiles());
        Adapter adapter = Adapters.forTarget(target);
        return new Workspace(inv, config, target, adapter, project, templates);
    }

    private Compiler compiler() {
        CompileOptions options = new CompileOptions(invocation.vars(), invocation.fullRefresh(),
                config.targetDir().resolve("compiled"), startedAt.toString(), invocationId, invocation.command());
        return new Compiler(project, target, adapter, templates, options);
    }

    /**
     * What a listing needs: refs, configs and the graph. Neither the warehouse nor Calcite is asked, and no
     * compiled SQL is written, which is most of a compile's cost.
     */
    public Manifest compileForListing() {
        CompileOptions options = new CompileOptions(invocation.vars(), invocation.fullRefresh(), null,
                startedAt.toString(), invocationId, invocation.command(), false);
        return new Compiler(project, target, adapter, templates, options).compile(null, null);
    }

    public List<String> renderOnRunEnd(Manifest m, List<Map<String, Object>> results) {
        return compiler().renderOnRunEnd(m, results);
    }

    /** Compiles every node; with a session, is_incremental() and syntax checks ask the warehouse. */
    public Manifest compile(Session session) {
        Compiler compiler = compiler();
        // is_incremental() is true only over an existing table, as in dbt.
        return compiler.compile(session == null ? null
                : r -> session.relationKind(r).filter(k -> k == dev.sluice.adapter.RelationKind.TABLE).isPresent(), session);
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

    public Invocation invocation() {
        return invocation;
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

    public String invocationId() {
        return invocationId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public void close() {
        adapter.close();
    }
}
