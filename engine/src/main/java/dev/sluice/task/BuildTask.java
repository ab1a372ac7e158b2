package dev.sluice.task;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.Progress;
import dev.sluice.exec.Runner;
import dev.sluice.graph.Dag;
import dev.sluice.lazy.LazySet;
import dev.sluice.materialize.ModelJob;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorJob;
import dev.sluice.operator.Operators;
import dev.sluice.materialize.SnapshotJob;
import dev.sluice.project.NodeType;
import dev.sluice.quality.TestJob;
import dev.sluice.quality.UnitTestJob;
import dev.sluice.seed.SeedJob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** seed, run, test and build: select nodes of some types and execute them in DAG order. */
public final class BuildTask {
    private final Workspace ws;
    private final Progress progress;
    private final EnumSet<NodeType> types;
    private final Operators operators;
    /** The runner once nodes run, for the Ctrl-C handler. */
    private final java.util.concurrent.atomic.AtomicReference<Runner> runner = new java.util.concurrent.atomic.AtomicReference<>();
    /** The state table's rows, read while the project compiled; null when not read early. */
    private java.util.concurrent.Future<Map<String, dev.sluice.state.StoredFingerprint>> early;
    /** manifest.json being written; null until the project has compiled. */
    private java.util.concurrent.FutureTask<Void> manifestWritten;
    /** Fingerprints of this run's nodes (skip unchanged, record built); null for test-only runs. */
    private dev.sluice.state.FingerprintTracker fingerprints;

    public BuildTask(Workspace ws, Progress progress, EnumSet<NodeType> types, Operators operators) {
        this.ws = ws;
        this.progress = progress.masking(ws.secrets()::mask);
        this.types = types;
        this.operators = operators;
    }

    public static EnumSet<NodeType> typesFor(String command) {
        return switch (command) {
            case "seed" -> EnumSet.of(NodeType.SEED);
            case "run" -> EnumSet.of(NodeType.MODEL, NodeType.OPERATOR);
            case "test" -> EnumSet.of(NodeType.TEST, NodeType.UNIT_TEST);
            case "snapshot" -> EnumSet.of(NodeType.SNAPSHOT);
            default -> EnumSet.of(NodeType.SEED, NodeType.MODEL, NodeType.SNAPSHOT, NodeType.OPERATOR, NodeType.TEST,
                    NodeType.UNIT_TEST);
        };
    }

    /** @return the results; the caller decides the exit code */
    public List<NodeResult> execute() {
        try {
            return executeUnmasked();
        } catch (dev.sluice.error.EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    private List<NodeResult> executeUnmasked() {
        java.util.Optional<dev.sluice.adapter.RunLock> lock = dev.sluice.adapter.RunLock.acquire(ws.adapter(), ws.target(),
                ws.invocation().lockTimeout());
        try {
            if (lock.isEmpty() && !"duckdb".equals(ws.adapter().type())) {
                progress.line("[WARNING]: " + ws.adapter().type() + " targets have no run lock: a second run on the same "
                        + "target at the same time is not detected, and leftovers of killed runs are kept");
            }
            Thread onInterrupt = new Thread(this::interrupted, "sluice-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                return executeLocked(lock.isPresent());
            } finally {
                // A run stopped by an error still leaves a whole manifest.json, never half of one.
                if (manifestWritten != null) {
                    try {
                        manifestWritten.get();
                    } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
                        // Reported by awaitManifest when the run got that far; the first error is the one told.
                    }
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or has run: the JVM is exiting anyway.
                }
            }
        } finally {
            lock.ifPresent(dev.sluice.adapter.RunLock::close);
        }
    }

    /**
     * Ctrl-C (or a termination signal): cancels the statements running now, lets their nodes unwind (a failed
     * build drops its temporary relation, a transaction rolls back, the previous table stays) and says what
     * was cut short. The JVM then exits with the signal's status, 130 for Ctrl-C. Partial export files are
     * removed by the next run.
     */
    private void interrupted() {
        Runner r = runner.get();
        if (r == null) {
            progress.line("Interrupted before any node ran: nothing in the warehouse was changed");
            return;
        }
        List<String> cut = r.interrupt();
        boolean idle;
        try {
            idle = r.awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (idle && fingerprints != null) {
            // The rows of the nodes that finished or never started; those of nodes cut short stay removed.
            try (Session s = ws.openSession()) {
                fingerprints.finish(s);
            } catch (RuntimeException e) {
                // Exiting anyway: the nodes whose rows are missing build again next time.
            }
        }
        progress.line("Interrupted: " + (cut.isEmpty() ? "no node was running"
                : "cancelled " + String.join(", ", cut) + "; their statements were rolled back and the tables they "
                + "would have replaced are unchanged") + (idle ? "" : " (the warehouse rolls back what did not stop in time "
                + "when the connection closes)") + "; no further node was started");
    }

    /** @param locked whether this run holds the target's run lock, so what dead runs left may be removed */
    private List<NodeResult> executeLocked(boolean locked) {
        if (locked) {
            int removed = dev.sluice.activation.ExportFormat.removeAllLeftovers(ws.config().targetDir().resolve("exports"));
            if (removed > 0) progress.line("Removed " + removed + " partial export file(s) of an interrupted run");
        }
        Instant start = Instant.now();
        // The previous run's node times order the ready nodes (see Runner); read beside the compile, since parsing
        // run_results.json costs 16 ms per 1,000 nodes warm and more cold. On one thread the order changes nothing
        // of the total, so it is not read.
        java.util.concurrent.FutureTask<Map<String, Double>> lastTimings = new java.util.concurrent.FutureTask<>(
                () -> ws.threads() > 1 ? PreviousTimings.read(ws.config().targetDir().resolve("run_results.json")) : Map.of());
        Thread timingsReader = new Thread(lastTimings, "sluice-timings-reader");
        timingsReader.setDaemon(true);
        timingsReader.start();
        dev.sluice.state.StateManifest previous = StateRun.previous(ws);
        Manifest manifest;
        // The connection is made while the project compiles (on DuckDB, opening the file and reading its catalog
        // was a tenth of the main thread's work in a re-run of 1,000 views); compile waits for it only when a
        // template asks the warehouse (is_incremental()). A failed connection is still reported before any node runs.
        // Once connected, that thread also reads what the run asks the warehouse before its first node (the target
        // schema's relations, the state table's rows) on a session of its own, while compile still runs.
        boolean tracks = !java.util.Collections.disjoint(types, EnumSet.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT,
                NodeType.OPERATOR, NodeType.TEST));
        try (Connecting connecting = new Connecting(ws::openSession, tracks ? this::readEarly : null)) {
            manifest = ws.compile(new dev.sluice.adapter.LazySession(connecting::session));
            early = connecting.early;
        }
        for (dev.sluice.error.EngineException e : manifest.compileErrors().values()) {
            if (e instanceof dev.sluice.error.InvalidSegmentException invalid) throw invalid;
        }
        ws.reportParseCache(progress);
        manifest.warnings().forEach(w -> progress.warn("ProjectWarning", w));
        ws.operatorConfigWarnings(operators).forEach(w -> progress.warn("ProjectWarning", w));
        List<String> printed = ws.templateMessages();
        printed.forEach(progress::template);
        Object tree = Artifacts.manifestTree(ws, manifest);
        // Written on a thread of its own beside the state table's set-up and the first nodes (with one thread the
        // second core is idle then); nothing in a run reads the file, and run_results.json waits for it.
        manifestWritten = new java.util.concurrent.FutureTask<>(() -> {
            Artifacts.writeManifestTree(ws, tree);
            return null;
        });
        Thread writer = new Thread(manifestWritten, "sluice-manifest-writer");
        writer.setDaemon(true);
        writer.start();
        ProjectGraph graph = StateRun.graph(ws, manifest, previous, tree);
        Invocation inv = ws.invocation();
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : graph.select(inv, types.contains(NodeType.TEST) ? inv.indirectSelection() : null, progress)) {
            CompiledNode n = manifest.node(id);
            // Ephemeral models are inlined and operator outputs are written by their operator: neither runs.
            if (n != null && types.contains(n.node().type()) && !(n.node().type() == NodeType.MODEL
                    && (n.isEphemeral() || n.node().isOperatorOutput()))) {
                chosen.add(id);
            }
        }
        // --defer may write manifest.json again, with the deferred relations.
        if (previous != null && inv.flags().state().defer()) awaitManifest();
        manifest = StateRun.defer(ws, manifest, chosen, previous, progress);
        ws.selected(chosen);
        // schema_map.yml's thresholds: a missing source table or column is bad input, found before any SQL runs.
        Map<String, java.util.function.Consumer<Session>> inputChecks = types.contains(NodeType.MODEL)
                ? new MappedInputs(ws, progress).checkBeforeRun(manifest, chosen) : Map.of();
        boolean builds = !java.util.Collections.disjoint(types, EnumSet.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT,
                NodeType.OPERATOR));
        if (!chosen.isEmpty() && (builds || types.contains(NodeType.TEST))) {
            // test alone records what passes where a state table exists, but runs every test it selects.
            fingerprints = openFingerprints(manifest, chosen, builds);
            if (fingerprints != null && types.contains(NodeType.TEST)) {
                fingerprints.withTests(id -> ws.sqlAtRun(id) == null, builds);
            }
        }
        ExternalInputs external = new ExternalInputs(ws, progress);
        Map<String, NodeJob> jobs = new LinkedHashMap<>();
        for (String id : chosen) {
            NodeJob job = jobOrError(manifest, manifest.node(id), rebuiltAfter(graph, manifest, chosen, id));
            if (inputChecks.containsKey(id) && !(job instanceof FailedJob)) job = MappedInputs.checked(job, inputChecks.get(id));
            // Bad seed files are bad input: found before anything runs, like template and YAML errors.
            if (job instanceof SeedJob seed) seed.validate();
            boolean emptySeed = job instanceof SeedJob && ws.invocation().flags().empty();
            // A seed loaded empty must not pass for its full load later: its row goes and is not written back.
            if (emptySeed && fingerprints != null) fingerprints.forget(id);
            NodeJob tracked = fingerprints == null || job instanceof FailedJob || emptySeed ? job : fingerprints.track(job);
            // Outside the fingerprint: a loaded file changes the source's data version the fingerprint reads.
            jobs.put(id, job instanceof FailedJob ? job : external.wrap(manifest, manifest.node(id), tracked));
        }

        Dag dag = graph.dag.subgraph(chosen);
        // As in dbt build, a model's unit tests run before it, and a failing one skips it. These edges go in
        // before the tests' own, whose cycle check must see them (jaffle-shop: a relationships test of a parent
        // that refs the model would otherwise wait on the model's unit test, which waits on the model).
        if (types.contains(NodeType.MODEL)) {
            for (String id : chosen) {
                CompiledNode n = manifest.node(id);
                if (n.node().type() == NodeType.UNIT_TEST && dag.contains(n.node().testedId())) dag.addEdge(id, n.node().testedId());
            }
        }
        if (types.contains(NodeType.TEST) && types.size() > 1) attachTests(dag, manifest, chosen);

        progress.event("MainReportVersion", "Running with engine=" + dev.sluice.log.Version.current().version(),
                Map.of("version", dev.sluice.log.Version.current().version(), "log_version", 3));
        RunTags tags = inv.flags().tags();
        if (!tags.isEmpty()) progress.event("RunTags", "Run tags: " + tags.line(), Map.of("tags", tags.values()));
        String found = summary(manifest);
        progress.event("FoundStats", "Found " + found, Map.of("stat_line", found));
        progress.blank();
        if (jobs.isEmpty()) {
            progress.log().warn("NothingToDo", "Nothing to do. Try checking your model configs and model specification args", Map.of());
            awaitManifest();
            Artifacts.writeRunResults(ws, manifest, List.of(), 0);
            return List.of();
        }
        createSchemas(manifest, chosen, jobs, locked);
        progress.event("ConcurrencyLine", "Concurrency: " + ws.threads() + " threads (target='" + ws.target().name() + "')",
                Map.of("num_threads", ws.threads(), "target_name", ws.target().name(), "node_count", jobs.size()));
        progress.blank();
        runProjectHooks("on-run-start", manifest.onRunStart());
        // Last before the nodes: a run that stops earlier (a failing on-run-start hook) keeps every row.
        if (fingerprints != null) beginState();
        Runner runner = new Runner(ws::openSession, ws.threads(), progress, inv.flags().failFast(), timings(lastTimings));
        this.runner.set(runner);
        List<NodeResult> results;
        try {
            results = runner.run(dag, jobs);
        } finally {
            if (fingerprints != null) fingerprints.stopWriter();
        }
        if (fingerprints != null) finishState();
        // What templates printed while their nodes ran (nodes that render again when they run).
        List<String> later = ws.templateMessages();
        later.subList(Math.min(printed.size(), later.size()), later.size()).forEach(progress::template);
        runProjectHooks("on-run-end", ws.renderOnRunEnd(manifest, hookResults(manifest, results)));
        double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        // Written beside the summary and DuckDB's checkpoint when the workspace closes, which waits for it (after
        // manifest.json, as before): nothing in this run reads it.
        Manifest done = manifest;
        ws.writeBeside("run_results.json", () -> {
            awaitManifest();
            Artifacts.writeRunResults(ws, done, results, elapsed);
        });
        if (fingerprints != null && fingerprints.unchangedCount() > 0) {
            progress.blank();
            progress.line(fingerprints.unchangedCount() + " unchanged node(s) not rebuilt: their fingerprints match "
                    + fingerprints.store().table().display() + " and their relations exist (--no-skip-unchanged rebuilds them)");
        }
        if (fingerprints != null && fingerprints.unchangedTestCount() > 0) {
            if (fingerprints.unchangedCount() == 0) progress.blank();
            progress.line(fingerprints.unchangedTestCount() + " unchanged test(s) not run: they passed with the same SQL, "
                    + "config and inputs (--no-skip-unchanged runs them)");
        }
        printSummary(manifest, jobs, results, elapsed);
        return results;
    }

    /**
     * The target's state table, created when missing (with the target's schema), and what it holds. With
     * --full-refresh or --no-skip-unchanged nothing is skipped, but fingerprints are still recorded.
     */
    private dev.sluice.state.FingerprintTracker openFingerprints(Manifest manifest, Set<String> chosen, boolean create) {
        boolean skip = ws.invocation().flags().skipUnchanged() && !ws.invocation().fullRefresh();
        try (Session s = ws.openSession()) {
            if (!create && s.relationKind(dev.sluice.state.FingerprintStore.forTarget(ws.adapter(), ws.target()).table()).isEmpty()) {
                return null;
            }
            if (create) s.execute(ws.adapter().createSchemaSql(new Relation(null, ws.target().schema(), "_")));
            // Batches of rows are written beside the nodes, not by the worker whose node filled one.
            return dev.sluice.state.FingerprintTracker.open(s, ws.adapter(), ws.target(), manifest, ws.config().root(),
                    chosen, ws.invocationId(), skip, t -> t.freshness() == null ? null : t.freshness().loadedAtField(),
                    storedEarly()).writingInBackground(ws::openSession);
        }
    }

    /**
     * On the connecting thread while the project compiles: the target schema's relations into the run's relation
     * cache (kept current from then on by the run's own statements) and the state table's rows. Both are read
     * under the run lock, so no other run changes them before they are used.
     */
    private Map<String, dev.sluice.state.StoredFingerprint> readEarly() {
        try (Session s = ws.openSession()) {
            return dev.sluice.state.FingerprintStore.forTarget(ws.adapter(), ws.target()).load(s);
        }
    }

    /** The state table's rows read while compiling, or null when they were not (or could not be): then they are read now. */
    private Map<String, dev.sluice.state.StoredFingerprint> storedEarly() {
        if (early == null) return null;
        try {
            return early.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while reading " + dev.sluice.state.FingerprintStore.forTarget(ws.adapter(),
                    ws.target()).table().display());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // Read again on the run's own session, where a lasting failure is reported as it always was.
            return null;
        }
    }

    /** The previous run's node times, or none if reading them failed or was interrupted: only a hint to the order. */
    private static Map<String, Double> timings(java.util.concurrent.FutureTask<Map<String, Double>> read) {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (java.util.concurrent.ExecutionException e) {
            return Map.of();
        }
    }

    /** Waits until manifest.json is written; a failure to write it is this command's error, as before. */
    private void awaitManifest() {
        await(manifestWritten, "writing manifest.json", "cannot write manifest.json");
    }

    /** The value of work done on another thread; its failure rethrown as it was, or named by {@code cannot}. */
    private static <T> T await(java.util.concurrent.Future<T> work, String doing, String cannot) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while " + doing);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new EngineException(cannot + ": " + e.getCause().getMessage());
        }
    }

    /** Removes the stored rows of the nodes this run may rebuild, before any of them runs. */
    private void beginState() {
        try (Session s = ws.openSession()) {
            fingerprints.begin(s);
        }
    }

    /**
     * Stores the fingerprints not yet written and those of the tests that passed; a failure to do so only costs
     * building or running those nodes next time.
     */
    private void finishState() {
        try (Session s = ws.openSession()) {
            fingerprints.finish(s);
            fingerprints.recordTests(s);
        } catch (dev.sluice.error.DatabaseException e) {
            progress.warn("StateNotRecorded", "the fingerprints of this run's nodes could not all be recorded in "
                    + fingerprints.store().table().display() + " (those nodes build or run again next time): " + e.getMessage());
        }
    }

    /** What a model or seed tells once its relation is swapped in; null without fingerprints. */
    private java.util.function.Consumer<Session> swapped(String id) {
        return fingerprints == null ? null : fingerprints.swapped(id);
    }

    /**
     * The node's job, or, when the node does not compile or its config is invalid (an unknown strategy), a job
     * that reports that as the node's error: as in dbt, its dependants are skipped and the rest of the run goes on.
     * Operator declarations are the engine's own YAML and stay bad input that stops the command.
     */
    private NodeJob jobOrError(Manifest m, CompiledNode n, Set<Relation> rebuiltLater) {
        EngineException compileError = m.compileErrors().get(n.uniqueId());
        if (compileError != null) return new FailedJob(n, compileError);
        if (n.node().type() == NodeType.OPERATOR) return job(m, n, rebuiltLater);
        try {
            return job(m, n, rebuiltLater);
        } catch (EngineException e) {
            return new FailedJob(n, e);
        }
    }

    /**
     * The relations of the chosen models that run after a model or seed (its descendants): on PostgreSQL a view
     * on it that its new version does not suit may be left to their build rather than fail it (Swap).
     */
    private static Set<Relation> rebuiltAfter(ProjectGraph graph, Manifest m, Set<String> chosen, String id) {
        CompiledNode self = m.node(id);
        if (self == null || (self.node().type() != NodeType.MODEL && self.node().type() != NodeType.SEED)) return Set.of();
        // Computed when a swap first asks: only adapters whose replacements drop dependent views (PostgreSQL) do,
        // and walking every node's descendants up front grows with the square of a deep DAG.
        return new LazySet<>(() -> {
            Set<Relation> out = new java.util.HashSet<>();
            for (String d : graph.dag.descendants(id, Integer.MAX_VALUE)) {
                CompiledNode n = chosen.contains(d) ? m.node(d) : null;
                if (n != null && n.node().type() == NodeType.MODEL) out.add(n.relation());
            }
            return out;
        });
    }

    /** A session opened on a thread of its own, so that the connection is made while the caller works. */
    private static final class Connecting implements AutoCloseable {
        private final java.util.concurrent.FutureTask<Session> opening;
        /** What the thread reads once connected; null when nothing is. */
        final java.util.concurrent.FutureTask<Map<String, dev.sluice.state.StoredFingerprint>> early;

        /** @param early read on the same thread once connected (not if connecting failed), or null */
        Connecting(java.util.function.Supplier<Session> open,
                   java.util.function.Supplier<Map<String, dev.sluice.state.StoredFingerprint>> early) {
            opening = new java.util.concurrent.FutureTask<>(open::get);
            this.early = early == null ? null : new java.util.concurrent.FutureTask<>(early::get);
            Thread t = new Thread(() -> {
                opening.run();
                if (this.early == null) return;
                try {
                    opening.get();
                } catch (java.util.concurrent.ExecutionException | InterruptedException failed) {
                    this.early.cancel(false);
                    return;
                }
                this.early.run();
            }, "sluice-connect");
            // Never keeps a failing command's JVM alive.
            t.setDaemon(true);
            t.start();
        }

        /** The session once connected; a failed connection's own error (a DuckDB file in use, a refused login). */
        Session session() {
            return await(opening, "connecting to the warehouse", "cannot connect to the warehouse");
        }

        /**
         * Closes the session, waiting for it: a connection that failed is reported here if nothing failed before.
         * Waits for the early reads too, so that none is still running on a session when the workspace closes.
         */
        @Override
        public void close() {
            try {
                session().close();
            } finally {
                if (early != null) {
                    try {
                        early.get();
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                        // Read again on the run's own session (storedEarly).
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private NodeJob job(Manifest m, CompiledNode n, Set<Relation> rebuiltLater) {
        return switch (n.node().type()) {
            case OPERATOR -> {
                Operator op = operators.get(String.valueOf(n.config().get("operator_type")),
                        new dev.sluice.error.SourceLocation(n.node().file(), n.node().lineOffset(), 0));
                Map<String, Relation> outputs = new LinkedHashMap<>();
                for (CompiledNode o : outputsOf(m, n)) outputs.put(o.name(), o.relation());
                yield new OperatorJob(n, op, outputs, ws.adapter(), ws.config().root(), ws.config().targetDir(),
                        ws.startedAt(), progress, ws.target().schema());
            }
            case SEED -> new SeedJob(n, ws.adapter(), ws.config().root(), ws.invocation().fullRefresh(),
                    ws.invocation().flags().empty() ? null : swapped(n.uniqueId()), ws.invocation().flags().empty(), rebuiltLater);
            case TEST -> new TestJob(n, ws.adapter(), ws.invocation().storeFailures(), ws.sqlAtRun(n.uniqueId()));
            case UNIT_TEST -> new UnitTestJob(n, m.unitTests().get(n.uniqueId()), ws.adapter());
            case MODEL -> new ModelJob(n, ws.adapter(), ws.invocation().fullRefresh(), ws.sqlAtRun(n.uniqueId()),
                    ws.customMaterialization(n), new dev.sluice.materialize.Microbatch.Inputs(ws.batchSql(n.uniqueId()),
                    java.time.LocalDateTime.ofInstant(ws.startedAt(), java.time.ZoneOffset.UTC),
                    ws.invocation().flags().eventTimeStart(), ws.invocation().flags().eventTimeEnd()),
                    swapped(n.uniqueId()), rebuiltLater, ws.customIncrementalStrategy(n));
            case SNAPSHOT -> new SnapshotJob(n, ws.adapter(), ws.startedAt());
            case SOURCE -> throw new IllegalStateException("sources are not run");
            case EXPOSURE -> throw new IllegalStateException("exposures are not run");
        };
    }

    /**
     * In build, a node's tests run before its children, so a failing test stops bad data flowing on. As in dbt, a
     * test of several nodes (a relationships test) holds back only the nodes downstream of all of them: a
     * relationships test from segment_assignments to customer_360_profile does not hold back what reads
     * customer_360_profile alone (a failing one skips no such node in dbt either), and no edge can make a cycle.
     */
    private static void attachTests(Dag dag, Manifest m, Set<String> chosen) {
        for (String id : chosen) {
            CompiledNode t = m.node(id);
            if (t.node().type() != NodeType.TEST) continue;
            List<String> tested = t.dependsOn().stream().filter(dag::contains).distinct().toList();
            if (tested.size() == 1) {
                for (String child : new ArrayList<>(dag.children(tested.get(0)))) {
                    if (child.equals(id) || m.node(child).node().type() == NodeType.TEST) continue;
                    dag.addEdge(id, child);
                }
                continue;
            }
            // Downstream of every tested node; edges to the first such nodes hold back the rest through them.
            Set<String> downstream = null;
            for (String n : tested) {
                Set<String> d = dag.descendants(n, Integer.MAX_VALUE);
                if (downstream == null) downstream = new LinkedHashSet<>(d);
                else downstream.retainAll(d);
            }
            if (downstream == null) continue;
            for (String node : downstream) {
                if (node.equals(id) || m.node(node).node().type() == NodeType.TEST) continue;
                boolean first = true;
                for (String parent : dag.parents(node)) {
                    if (downstream.contains(parent) && m.node(parent).node().type() != NodeType.TEST) {
                        first = false;
                        break;
                    }
                }
                if (first) dag.addEdge(id, node);
            }
        }
    }

    private static List<Map<String, Object>> hookResults(Manifest m, List<NodeResult> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeResult r : results) {
            CompiledNode n = m.node(r.uniqueId());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", r.uniqueId());
            j.put("name", n.name());
            j.put("resource_type", n.node().type().label());
            j.put("status", r.status().json());
            j.put("execution_time", r.seconds());
            j.put("started_at", String.valueOf(r.startedAt()));
            j.put("message", r.error() != null ? r.error() : r.message());
            j.put("failures", r.failures());
            j.put("rows_affected", r.adapterResponse().get("rows_affected"));
            out.add(j);
        }
        return out;
    }

    private void runProjectHooks(String which, List<String> hooks) {
        if (hooks.isEmpty()) return;
        try (Session s = ws.openSession()) {
            for (int i = 0; i < hooks.size(); i++) {
                try {
                    s.execute(hooks.get(i));
                } catch (dev.sluice.error.DatabaseException e) {
                    throw new dev.sluice.error.DatabaseException(which + " hook " + (i + 1) + " of the project file failed: "
                            + e.getMessage() + "\n  statement: " + hooks.get(i).lines().findFirst().orElse(""), e);
                }
                progress.line(which + " hook " + (i + 1) + " of " + hooks.size() + " OK");
            }
        }
    }

    private static List<CompiledNode> outputsOf(Manifest m, CompiledNode operator) {
        return m.nodes().values().stream()
                .filter(o -> o.node().isOperatorOutput() && operator.uniqueId().equals(o.node().testedId())).toList();
    }

    /**
     * Every schema the run writes to, created up front on one connection: created concurrently by the
     * nodes themselves, DuckDB rejects all but one with a write-write conflict.
     */
    private void createSchemas(Manifest m, Set<String> chosen, Map<String, NodeJob> jobs, boolean locked) {
        Set<String> done = new LinkedHashSet<>();
        List<Relation> schemas = new ArrayList<>();
        try (Session s = ws.openSession()) {
            // The target's own schema too: project hooks (run logs, grants) commonly write there.
            Relation home = new Relation(null, ws.target().schema(), "_");
            done.add(home.database() + "." + home.schema());
            s.execute(ws.adapter().createSchemaSql(home));
            schemas.add(home);
            for (String id : chosen) {
                CompiledNode n = m.node(id);
                if (n.node().type() == NodeType.TEST && !(jobs.get(id).unwrapped() instanceof TestJob t && t.storesFailures())) continue;
                List<Relation> relations = new ArrayList<>(List.of(n.relation()));
                if (n.node().type() == NodeType.OPERATOR) outputsOf(m, n).forEach(o -> relations.add(o.relation()));
                for (Relation r : relations) {
                    if (done.add(r.database() + "." + r.schema())) {
                        s.execute(ws.adapter().createSchemaSql(r));
                        schemas.add(r);
                    }
                }
            }
            if (locked) dropLeftovers(s, schemas);
        }
    }

    /**
     * Temporary relations of runs that died (kill -9, lost connection) are dropped, but only while this run
     * holds the target's lock: then no live run owns them.
     */
    private void dropLeftovers(Session s, List<Relation> schemas) {
        for (Relation schema : schemas) {
            java.util.Optional<Map<String, dev.sluice.adapter.RelationKind>> listed = s.listRelations(schema);
            if (listed.isEmpty()) continue;
            listed.get().forEach((name, kind) -> {
                if (dev.sluice.materialize.Swap.isLeftover(name)) {
                    s.execute(ws.adapter().dropSql(schema.withIdentifier(name), kind));
                }
            });
        }
    }

    private static String summary(Manifest m) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CompiledNode n : m.nodes().values()) {
            String label = switch (n.node().type()) {
                case MODEL -> "models";
                case SEED -> "seeds";
                case TEST -> "data tests";
                case SNAPSHOT -> "snapshots";
                case OPERATOR -> "operators";
                case UNIT_TEST -> "unit tests";
                case SOURCE -> "sources";
                case EXPOSURE -> "exposures";
            };
            counts.merge(label, 1, Integer::sum);
        }
        counts.put("sources", m.sources().size());
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        parts.add(m.project().macroFiles().size() + " macro files");
        return String.join(", ", parts);
    }

    private void printSummary(Manifest m, Map<String, NodeJob> jobs, List<NodeResult> results, double elapsed) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (NodeJob j : jobs.values()) kinds.merge(j.kind(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        kinds.forEach((k, v) -> parts.add(v + " " + k + (v == 1 ? "" : "s")));
        progress.blank();
        progress.event("FinishedRunningStats", String.format("Finished running %s in %.2fs.", String.join(", ", parts), elapsed),
                Map.of("stat_line", String.join(", ", parts), "execution", "", "execution_time", elapsed));
        int pass = 0, warn = 0, error = 0, skip = 0, partial = 0;
        for (NodeResult r : results) {
            switch (r.status()) {
                case SUCCESS, PASS -> pass++;
                case WARN -> warn++;
                case ERROR, FAIL -> error++;
                case SKIPPED, UNCHANGED -> skip++;
                case PARTIAL_SUCCESS -> partial++;
            }
        }
        progress.blank();
        if (error == 0 && warn == 0 && partial == 0) {
            progress.event("EndOfRunSummary", "Completed successfully", Map.of("num_errors", 0, "num_warnings", 0, "keyboard_interrupt", false));
        } else {
            progress.line("Completed with " + error + " error" + (error == 1 ? "" : "s") + (partial == 0 ? "" : ", "
                    + partial + " partial success" + (partial == 1 ? "" : "es")) + " and " + warn + " warning"
                    + (warn == 1 ? "" : "s") + ":");
            for (NodeResult r : results) {
                if (r.status() != NodeStatus.ERROR && r.status() != NodeStatus.FAIL && r.status() != NodeStatus.WARN
                        && r.status() != NodeStatus.PARTIAL_SUCCESS) continue;
                CompiledNode n = m.node(r.uniqueId());
                progress.blank();
                String what = r.status() == NodeStatus.ERROR ? "Error" : r.status() == NodeStatus.FAIL ? "Failure"
                        : r.status() == NodeStatus.PARTIAL_SUCCESS ? "Partial success" : "Warning";
                progress.line(what + " in " + n.node().type().label() + " " + n.name() + " (" + n.node().file() + ")");
                for (String line : String.valueOf(r.error()).split("\n")) progress.line("  " + line.strip());
                if (n.compiledPath() != null) {
                    progress.line("  compiled code at " + ws.config().root().relativize(n.compiledPath()));
                }
            }
        }
        progress.blank();
        progress.event("StatsLine", "Done. PASS=" + pass + " WARN=" + warn + " ERROR=" + error + " SKIP=" + skip
                + (partial == 0 ? "" : " PARTIAL-SUCCESS=" + partial) + " TOTAL=" + results.size(),
                Map.of("stats", Map.of("pass", pass, "warn", warn, "error", error, "skip", skip, "total", results.size())));
    }
}
