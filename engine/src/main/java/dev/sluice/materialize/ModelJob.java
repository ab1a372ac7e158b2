package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds one model with its materialization: view, table or incremental (ephemeral models are inlined). */
public final class ModelJob implements NodeJob {
    private static final Set<String> KNOWN = Set.of("view", "table", "incremental");
    private final CompiledNode node;
    private final Adapter adapter;
    private final boolean fullRefresh;
    /** Renders the model's SQL again on the running session, for templates that query the warehouse; or null. */
    private final java.util.function.Function<Session, String> sqlAtRun;
    private final java.util.function.Consumer<Session> custom;
    /** Told once a view or table is swapped in (the run's state records its fingerprint); null for none. */
    private final java.util.function.Consumer<Session> swapped;
    private final Microbatch.Inputs batches;
    /** Relations the run builds after this model: views on it among them may be left to that build (Swap). */
    private final Set<Relation> rebuiltLater;
    private final Incremental.CustomStrategy strategy;

    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh) {
        this(node, adapter, fullRefresh, null);
    }

    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun) {
        this(node, adapter, fullRefresh, sqlAtRun, null);
    }

    /**
     * @param custom runs the project's {% materialization %} block for this model's materialized config on the
     *               node's session (null for the built-in materializations)
     */
    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun,
                    java.util.function.Consumer<Session> custom) {
        this(node, adapter, fullRefresh, sqlAtRun, custom, null);
    }

    /** @param batches what a microbatch model needs from the run (null for other models) */
    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun,
                    java.util.function.Consumer<Session> custom, Microbatch.Inputs batches) {
        this(node, adapter, fullRefresh, sqlAtRun, custom, batches, null);
    }

    /** @param swapped called once a view or table is committed in place of the old one (dev.sluice.state) */
    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun,
                    java.util.function.Consumer<Session> custom, Microbatch.Inputs batches,
                    java.util.function.Consumer<Session> swapped) {
        this(node, adapter, fullRefresh, sqlAtRun, custom, batches, swapped, Set.of());
    }

    /** @param rebuiltLater relations this run builds after the model (the views on it that it selects) */
    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun,
                    java.util.function.Consumer<Session> custom, Microbatch.Inputs batches,
                    java.util.function.Consumer<Session> swapped, Set<Relation> rebuiltLater) {
        this(node, adapter, fullRefresh, sqlAtRun, custom, batches, swapped, rebuiltLater, null);
    }

    /** @param strategy the project's get_incremental_NAME_sql macro for a strategy the engine lacks, or null */
    public ModelJob(CompiledNode node, Adapter adapter, boolean fullRefresh,
                    java.util.function.Function<Session, String> sqlAtRun,
                    java.util.function.Consumer<Session> custom, Microbatch.Inputs batches,
                    java.util.function.Consumer<Session> swapped, Set<Relation> rebuiltLater,
                    Incremental.CustomStrategy strategy) {
        this.strategy = strategy;
        this.rebuiltLater = java.util.Objects.requireNonNull(rebuiltLater); // read-only, possibly lazy: not copied
        this.swapped = swapped;
        this.batches = batches;
        this.sqlAtRun = sqlAtRun;
        this.custom = custom;
        this.node = node;
        this.adapter = adapter;
        this.fullRefresh = fullRefresh;
        String m = node.materialized();
        if (!KNOWN.contains(m) && custom == null) {
            throw new ConfigException("model '" + node.name() + "' has materialized='" + m
                    + "', which is neither a built-in materialization (view, table, incremental, ephemeral) nor a "
                    + "{% materialization " + m + " %} block of the project or its packages for adapter '"
                    + adapter.type() + "' or default", SourceLocation.of(node.node().file()));
        }
        if (m.equals("incremental")) Incremental.validate(node, strategy != null);
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return "sql " + node.materialized() + " model " + node.relation().display();
    }

    @Override
    public String kind() {
        return node.materialized() + " model";
    }

    /** Warnings of the last execute; a job runs on one thread at a time, a retry clears them. */
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private void docsWarning(String warning) {
        if (warning != null) warnings.add(warning);
    }

    @Override
    public NodeResult execute(Session s) {
        warnings.clear();
        Instant start = Instant.now();
        if (custom != null) {
            // A {% materialization %} block builds the relation itself, hooks included (run_hooks), as in dbt.
            custom.accept(s);
            return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "OK", start, Instant.now(), null, null, Map.of());
        }
        CompiledNode node = sqlAtRun == null ? this.node : this.node.withSql(sqlAtRun.apply(s));
        // An enforced contract is checked before anything runs, so a mismatch leaves the relation as it was.
        Contract.check(s, adapter, node);
        Hooks.before(s, node);
        String sql = node.compiledSql();
        String message;
        Map<String, Object> response = Map.of();
        switch (node.materialized()) {
            case "view" -> {
                new Swap(adapter, swapped, rebuiltLater).replaceWith(s, node.relation(), RelationKind.VIEW, sql);
                message = "OK";
            }
            case "table" -> {
                CompiledNode built = node;
                long n = ConstraintDdl.applies(node)
                        ? new Swap(adapter, swapped, rebuiltLater).replaceWithStatements(s, node.relation(), t -> ConstraintDdl.statements(adapter, built, t))
                        : new Swap(adapter, swapped, rebuiltLater).replaceWith(s, node.relation(), RelationKind.TABLE, sql);
                // The statement's own row count where the warehouse reports one (PostgreSQL). DuckDB's driver does
                // not for CREATE TABLE AS, and a count(*) after it was a third of a small table's node time
                // (bench/README): such a table reports OK without a count, as dbt-duckdb's do.
                if (n >= 0) {
                    message = "SELECT " + n;
                    response = Map.of("rows_affected", n, "code", "SELECT");
                } else {
                    message = "OK";
                }
            }
            default -> {
                if (Incremental.strategy(node).equals("microbatch")) {
                    return microbatch(s, node, start);
                }
                long n = new Incremental(adapter, node, fullRefresh, rebuiltLater, strategy).run(s);
                message = "INSERT " + n;
                response = Map.of("rows_affected", n, "code", "INSERT");
            }
        }
        docsWarning(PersistDocs.apply(s, node, adapter, node.materialized().equals("view") ? RelationKind.VIEW : RelationKind.TABLE));
        Hooks.after(s, node, adapter);
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, message, start, Instant.now(), null, null, response);
    }

    /**
     * Runs the batches; the hooks and docs follow when at least one batch succeeded. All failing is the model's
     * error; some failing is dbt's partial success, naming each failed batch.
     */
    private NodeResult microbatch(Session s, CompiledNode node, Instant start) {
        if (batches == null || batches.render() == null) {
            throw new ConfigException("microbatch model '" + node.name() + "' cannot run without its batches' "
                    + "rendering", SourceLocation.of(node.node().file()));
        }
        Microbatch.Outcome o = new Microbatch(adapter, node, fullRefresh, batches).run(s);
        Map<String, Object> response = Map.of("rows_affected", o.rows(), "code", "INSERT");
        if (o.failures().size() == o.batches()) {
            return new NodeResult(uniqueId(), NodeStatus.ERROR, "ERROR", start, Instant.now(), null,
                    "every batch of microbatch model '" + node.name() + "' failed:\n" + String.join("\n", o.failures()),
                    response);
        }
        docsWarning(PersistDocs.apply(s, node, adapter, RelationKind.TABLE));
        Hooks.after(s, node, adapter);
        int ok = o.batches() - o.failures().size();
        if (!o.failures().isEmpty()) {
            return new NodeResult(uniqueId(), NodeStatus.PARTIAL_SUCCESS, "PARTIAL SUCCESS (" + ok + "/" + o.batches()
                    + ")", start, Instant.now(), null, o.failures().size() + " of " + o.batches() + " batches of "
                    + "microbatch model '" + node.name() + "' failed:\n" + String.join("\n", o.failures()), response);
        }
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "SUCCESS " + o.batches() + " batch"
                + (o.batches() == 1 ? "" : "es") + ", INSERT " + o.rows(), start, Instant.now(), null, null, response);
    }
}
