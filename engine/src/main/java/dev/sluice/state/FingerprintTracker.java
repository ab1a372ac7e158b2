package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.DatabaseException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.WrappedJob;
import dev.sluice.project.Target;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Fingerprints during one build, run, seed or snapshot: skips views, tables and seeds whose fingerprint equals the
 * stored one while their relation exists, and records the fingerprint of every node that builds successfully.
 *
 * <p>State rows are written in batches, not one transaction per node (on DuckDB a node's own transaction cost
 * several times its trivial view's statement). The guarantee is unchanged: a stored row never describes a
 * relation other than the one in place. Before any node runs, {@link #begin} removes the rows of every node the run
 * may rebuild, in one transaction, but for rows the rebuild cannot make untrue (the same fingerprint, replaced in
 * one step: {@link #keepable}), which stay and are not written again; a node's row is written back once its new
 * relation is committed (or, when it
 * turns out unchanged, or fails without replacing its relation, its previous row), batched with other nodes' rows
 * every {@value #FLUSH_ROWS} rows or {@value #FLUSH_MILLIS} ms and at the end ({@link #finish}). A run killed in
 * between leaves some nodes without a row, which costs rebuilding them, never a wrong skip. With
 * {@link #writingInBackground} the batches are written by a thread of their own on a session of their own, so
 * the worker that fills a batch goes on to its next node (a 500-row batch cost DuckDB about as much CPU as 40
 * trivial views); the rows are the same, queued only once their relation is committed. A node that fails
 * after its relation was replaced (a post-hook, persisted docs) gets no row, so it builds next time; one that
 * fails before keeps its previous row, which still describes the relation it left in place. Incremental models,
 * snapshots and operators always run; their row is written after they succeed.
 *
 * <p>Data tests have fingerprints too (their compiled SQL, config and the fingerprints of the nodes they read):
 * a test that passed is recorded with its fingerprint once the run's nodes are done ({@link #recordTests}); one
 * that fails, warns or errors has its row removed at once. In a build, a test whose fingerprint equals the one
 * stored with its last pass is not run again (reported as unchanged); one whose SQL renders only when it runs
 * (it queries the warehouse) always runs.
 */
public final class FingerprintTracker {
    private final FingerprintStore store;
    private final Fingerprints fingerprints;
    private final Map<String, StoredFingerprint> stored;
    private final Manifest manifest;
    private final String runId;
    private final boolean skipUnchanged;
    /** Rows written at most this many at a time, and at least this often while nodes finish. */
    static final int FLUSH_ROWS = 500;
    static final long FLUSH_MILLIS = 2000;
    /** Nodes whose rows {@link #begin} removes: those tracked here, and seeds loaded empty (never restored). */
    private final Set<String> mayRebuild = ConcurrentHashMap.newKeySet();
    private final Set<String> neverRestore = ConcurrentHashMap.newKeySet();
    /** Rows removed by {@link #begin} that no node outcome has accounted for yet. */
    private final Map<String, StoredFingerprint> removed = new ConcurrentHashMap<>();
    /** Nodes whose stored row {@link #begin} left in place (see {@link #keepable}). */
    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    /** Nodes that began to run: a row removed for one of them is written back only by its own outcome. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** Nodes whose new relation is committed in place of the old one. */
    private final Set<String> swapped = ConcurrentHashMap.newKeySet();
    /** Rows to write with the next batch. */
    private final java.util.Queue<StoredFingerprint> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Held while writing to the state table, so two workers' writes never conflict on it. */
    private final Object writing = new Object();
    private volatile long lastFlush = System.nanoTime();
    /** Opens the background writer's session; null: batches are written by the session of the node that fills them. */
    private volatile java.util.function.Supplier<Session> writerSessions;
    /** The background writer (one thread, started with the first batch), and whether a batch is being written. */
    private java.util.concurrent.ExecutorService writer;
    /** Set by {@link #finish}: later batches (nodes still unwinding after an interrupt) are written by their node. */
    private boolean writerStopped;
    private final java.util.concurrent.atomic.AtomicBoolean writerBusy = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger unchanged = new AtomicInteger();
    private final AtomicInteger unchangedTests = new AtomicInteger();
    /** Whether unchanged tests that passed last time are skipped (build), besides being recorded. */
    private volatile boolean skipTests;
    /** Tests that can be fingerprinted: their compiled SQL is what runs. */
    private volatile java.util.function.Predicate<String> testable = id -> false;
    /** Rows of the tests that passed in this run, written together by {@link #recordTests}. */
    private final java.util.Queue<StoredFingerprint> passed = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private FingerprintTracker(FingerprintStore store, Fingerprints fingerprints, Map<String, StoredFingerprint> stored,
                               Manifest manifest, String runId, boolean skipUnchanged) {
        this.store = store;
        this.fingerprints = fingerprints;
        this.stored = stored;
        this.manifest = manifest;
        this.runId = runId;
        this.skipUnchanged = skipUnchanged;
    }

    /**
     * Tracks data tests too: records the fingerprint of those that pass and forgets those that do not.
     *
     * @param testable whether a test's compiled SQL is what runs (not rendered again when it runs)
     * @param skip     whether a test unchanged since its last pass is skipped (build, unless --no-skip-unchanged)
     */
    public FingerprintTracker withTests(java.util.function.Predicate<String> testable, boolean skip) {
        this.testable = testable;
        this.skipTests = skip;
        return this;
    }

    /** How many tests were skipped as unchanged. */
    public int unchangedTestCount() {
        return unchangedTests.get();
    }

    /**
     * Writes the rows of the tests that passed in this run, in one transaction. Should the run die before, those
     * tests only run again next time.
     */
    public void recordTests(Session s) {
        List<StoredFingerprint> rows = new java.util.ArrayList<>(passed);
        passed.clear();
        if (rows.isEmpty()) return;
        synchronized (writing) {
            s.transaction(store.writeAllSql(rows));
        }
    }

    /**
     * Removes, in one transaction, the stored rows of the nodes this run may rebuild (call once the jobs are
     * tracked, before any runs): from here until a node's row is written back, a kill costs its rebuild. Rows
     * that stay true whatever moment a kill stops their node's build are left in place ({@link #keepable}).
     */
    public void begin(Session s) {
        List<String> ids = new java.util.ArrayList<>();
        List<String> candidates = mayRebuild.stream().filter(stored::containsKey).sorted().toList();
        // Deciding computes each node's fingerprint (hashes of its SQL, config and parents): on every core, as
        // the main thread has nothing else to do before the nodes start (30-45 ms of its CPU in a re-run of 1,000
        // views, C1 code).
        List<Boolean> keep = dev.sluice.compile.Parallel.map(candidates, this::keepable);
        for (int i = 0; i < candidates.size(); i++) {
            if (keep.get(i)) kept.add(candidates.get(i));
            else ids.add(candidates.get(i));
        }
        if (ids.isEmpty()) return;
        synchronized (writing) {
            s.transaction(store.forgetAllSql(ids));
        }
        for (String id : ids) removed.put(id, stored.get(id));
    }

    /**
     * Whether a node's stored row may stay in place while the node builds: its fingerprint in this run is known
     * now and equals the stored one, and what its build leaves at the relation's name, at every moment a kill
     * could stop it, is the old relation or the new one, both built from what that fingerprint describes (or no
     * relation, which builds again). That holds for a view, table or seed replaced in one transaction (where DDL
     * is transactional) and with nothing run before or after the replacement that the fingerprint covers: no
     * pre- or post-hooks, grants or persisted docs. A rebuild that gives the same fingerprint then writes nothing,
     * so a re-run of an unchanged project leaves the state table alone; built_at and run_id keep saying when and
     * by which run the relation of that fingerprint was first built.
     */
    private boolean keepable(String id) {
        CompiledNode n = manifest.node(id);
        if (n == null || neverRestore.contains(id) || !store.replacesRows() || !Fingerprints.skippable(n)) return false;
        if (!n.preHooks().isEmpty() || !n.postHooks().isEmpty() || configured(n, "grants") || configured(n, "persist_docs")) {
            return false;
        }
        try {
            return fingerprints.predictable(id)
                    && stored.get(id).matches(fingerprints.of(id, null));
        } catch (RuntimeException e) {
            // A seed file that cannot be read: the node reports it when it runs; its row goes as before.
            return false;
        }
    }

    private static boolean configured(CompiledNode n, String key) {
        Object v = n.config().get(key);
        return v instanceof Map<?, ?> m ? !m.isEmpty() : v != null;
    }

    /**
     * Removes a kept row at once, in a transaction of its own: for a node whose fingerprint turned out to differ
     * before it builds, or that failed after its relation was replaced (which then builds again next time).
     */
    private void forgetKept(Session s, String id) {
        synchronized (writing) {
            s.transaction(store.forgetSql(id));
        }
        kept.remove(id);
        // From here on like a row begin removed: back if the relation stays as it was.
        removed.put(id, stored.get(id));
    }

    /**
     * Writes what is left at the end of the run: the rows of nodes still to be written, and the previous rows of
     * nodes that never ran (skipped after a failure upstream), whose relations are as they were.
     */
    public void finish(Session s) {
        stopWriter();
        for (String id : new java.util.ArrayList<>(removed.keySet())) {
            if (!started.contains(id) && !neverRestore.contains(id)) restore(id);
        }
        flush(s);
    }

    /** A seed loaded empty (--empty): its row goes before the run and is not written back. */
    public void forget(String id) {
        mayRebuild.add(id);
        neverRestore.add(id);
    }

    /** The previous row of a node whose relation this run left as it was, back into the next batch. */
    private void restore(String id) {
        StoredFingerprint before = removed.remove(id);
        if (before == null || swapped.contains(id) || neverRestore.contains(id)) return;
        // Where rows are only appended the latest built_at wins, and the removal's tombstone is newer.
        Instant at = before.builtAt() == null || !store.replacesRows() ? Instant.now() : before.builtAt();
        queue(new StoredFingerprint(before.fingerprint(), at, before.runId()));
    }

    private void queue(StoredFingerprint row) {
        pending.add(row);
        pendingCount.incrementAndGet();
    }

    /**
     * Batches are written from now on by a background thread, on one session it opens from {@code sessions} with
     * its first batch and closes when the run's nodes are done ({@link #finish} or {@link #stopWriter}). Without
     * this, the node that fills a batch writes it.
     */
    public FingerprintTracker writingInBackground(java.util.function.Supplier<Session> sessions) {
        this.writerSessions = sessions;
        return this;
    }

    /** Writes the batch when it is full or old enough; a failure keeps the rows for the next try. */
    private void maybeFlush(Session s) {
        if (pendingCount.get() < FLUSH_ROWS && System.nanoTime() - lastFlush < FLUSH_MILLIS * 1_000_000L) return;
        if (writerSessions != null && flushInBackground()) return;
        try {
            flush(s);
        } catch (DatabaseException e) {
            // Kept in pending: the end of the run writes them, or reports why it cannot.
        }
    }

    /**
     * Hands the batch to the background writer, unless it is still writing the previous one (the rows then go
     * with the next batch). False once the writer is stopped: the caller writes the batch itself.
     */
    private boolean flushInBackground() {
        synchronized (this) {
            if (writerStopped) return false;
            if (writer == null) {
                writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sluice-state-writer");
                    // A run that ends in an error before stopWriter must not be kept alive by it.
                    t.setDaemon(true);
                    return t;
                });
            }
            if (!writerBusy.compareAndSet(false, true)) return true;
            writer.execute(() -> {
                try {
                    if (writerSession == null) writerSession = writerSessions.get();
                    flush(writerSession);
                } catch (RuntimeException e) {
                    // The rows are kept (flush queues them again) for the next batch or the end of the run; the
                    // session may be broken, so the next batch opens another.
                    closeWriterSession();
                } finally {
                    writerBusy.set(false);
                }
            });
            return true;
        }
    }

    /** Used by the writer thread only. */
    private Session writerSession;

    private void closeWriterSession() {
        Session w = writerSession;
        writerSession = null;
        if (w == null) return;
        try {
            w.close();
        } catch (RuntimeException e) {
            // Nothing was pending on it: its batches committed or were queued again.
        }
    }

    /**
     * Lets the background writer finish the batch it is writing, closes its session and stops it; later batches
     * (nodes still unwinding after an interrupt) are written by their node's session. Call it once the run's nodes
     * are done, also when the run fails; {@link #finish} calls it.
     */
    public void stopWriter() {
        java.util.concurrent.ExecutorService w;
        synchronized (this) {
            writerStopped = true;
            w = writer;
            if (w == null || w.isShutdown()) return;
            w.execute(this::closeWriterSession);
            w.shutdown();
        }
        try {
            // A batch is one transaction; one that hangs is the warehouse's to time out, as it would be on a worker.
            boolean done = false;
            while (!done) done = w.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush(Session s) {
        synchronized (writing) {
            List<StoredFingerprint> rows = new java.util.ArrayList<>();
            for (StoredFingerprint r; (r = pending.poll()) != null; ) {
                rows.add(r);
                pendingCount.decrementAndGet();
            }
            lastFlush = System.nanoTime();
            if (rows.isEmpty()) return;
            try {
                ensureTable(s);
                s.transaction(store.writeAllSql(rows));
            } catch (RuntimeException e) {
                rows.forEach(this::queue);
                throw e;
            }
        }
    }

    /**
     * Creates the state table when missing and reads it. The target's schema must exist.
     *
     * @param inRun         the nodes this run executes
     * @param skipUnchanged false with --full-refresh or --no-skip-unchanged: everything builds, fingerprints are
     *                      still recorded
     */
    public static FingerprintTracker open(Session s, Adapter adapter, Target target, Manifest manifest, Path projectRoot,
                                          Collection<String> inRun, String runId, boolean skipUnchanged,
                                          Function<dev.sluice.project.SourceTable, String> loadedAtField) {
        return open(s, adapter, target, manifest, projectRoot, inRun, runId, skipUnchanged, loadedAtField, null);
    }

    /**
     * @param stored the state table's rows as {@link FingerprintStore#load} read them earlier in this run (under its
     *               run lock, so nothing else wrote them since), or null to read them now
     */
    public static FingerprintTracker open(Session s, Adapter adapter, Target target, Manifest manifest, Path projectRoot,
                                          Collection<String> inRun, String runId, boolean skipUnchanged,
                                          Function<dev.sluice.project.SourceTable, String> loadedAtField,
                                          Map<String, StoredFingerprint> stored) {
        FingerprintStore store = FingerprintStore.forTarget(adapter, target);
        // One run per target holds the run lock, so nothing else creates the table between the check and the DDL.
        if (s.relationKind(store.table()).isEmpty()) {
            s.execute(store.createSql());
            // A table missing now was missing when the rows were read early, too: there are none.
            stored = Map.of();
        }
        if (stored == null) stored = store.load(s);
        Fingerprints f = new Fingerprints(manifest, adapter, projectRoot, stored, inRun, loadedAtField);
        return new FingerprintTracker(store, f, stored, manifest, runId, skipUnchanged);
    }

    public FingerprintStore store() {
        return store;
    }

    /** How many nodes were skipped as unchanged so far. */
    public int unchangedCount() {
        return unchanged.get();
    }

    /** What the materialization calls once the node's new relation is committed in place of the old one. */
    public java.util.function.Consumer<Session> swapped(String id) {
        return s -> swapped.add(id);
    }

    /**
     * Creates the state table again when a node dropped it during the run (a model may drop and recreate its
     * target schema, as dbt's adapter-methods test does); the look-up is answered by the run's relation cache.
     */
    private void ensureTable(Session s) {
        if (s.relationKind(store.table()).isEmpty()) {
            s.execute(store.createSql());
        }
    }

    /** The job with fingerprints: skipped when unchanged, its fingerprint recorded when it succeeds. */
    public NodeJob track(NodeJob job) {
        CompiledNode n = manifest.node(job.uniqueId());
        if (n != null && n.node().type() == dev.sluice.project.NodeType.TEST) {
            return testable.test(n.uniqueId()) && !n.compiledSql().isBlank() ? new TrackedTest(job, n) : job;
        }
        if (n == null || !Fingerprints.hasFingerprint(n)) return job;
        mayRebuild.add(n.uniqueId());
        return new Tracked(job, n);
    }

    /** A data test: skipped when unchanged since it last passed, recorded when it passes, forgotten when not. */
    private final class TrackedTest extends WrappedJob {
        private final CompiledNode node;

        TrackedTest(NodeJob inner, CompiledNode node) {
            super(inner);
            this.node = node;
        }

        @Override
        public NodeResult unchanged(Session s) {
            if (!skipUnchanged || !skipTests) return null;
            StoredFingerprint before = stored.get(node.uniqueId());
            if (before == null) return null;
            Instant start = Instant.now();
            Fingerprint now = fingerprints.of(node.uniqueId(), s);
            if (!before.matches(now)) return null;
            unchangedTests.incrementAndGet();
            return new NodeResult(node.uniqueId(), NodeStatus.UNCHANGED, "SKIP (unchanged)", start, Instant.now(), null,
                    null, Map.of("fingerprint", now.shortForm(), "passed_at", String.valueOf(before.builtAt()),
                    "passed_in_run", before.runId()));
        }

        @Override
        public NodeResult execute(Session s) {
            NodeResult r;
            try {
                r = inner.execute(s);
            } catch (RuntimeException e) {
                forget(s, e);
                throw e;
            }
            if (r.status() == NodeStatus.PASS) {
                Fingerprint now = fingerprints.of(node.uniqueId(), s);
                StoredFingerprint before = stored.get(node.uniqueId());
                // A pass with the fingerprint of the stored pass: that row says it already.
                if (before == null || !before.matches(now)) {
                    passed.add(new StoredFingerprint(now, Instant.now(), runId));
                }
            } else {
                // A test that failed, warned or errored runs again next time, whatever changes.
                forget(s, null);
            }
            return r;
        }

        private void forget(Session s, RuntimeException cause) {
            if (!stored.containsKey(node.uniqueId())) return;
            try {
                synchronized (writing) {
                    s.transaction(store.forgetSql(node.uniqueId()));
                }
            } catch (DatabaseException e) {
                if (cause != null) cause.addSuppressed(e);
                else throw e;
            }
        }
    }

    private final class Tracked extends WrappedJob {
        private final CompiledNode node;

        Tracked(NodeJob inner, CompiledNode node) {
            super(inner);
            this.node = node;
        }

        @Override
        public NodeResult unchanged(Session s) {
            started.add(node.uniqueId());
            if (!skipUnchanged || !Fingerprints.skippable(node)) return null;
            StoredFingerprint before = stored.get(node.uniqueId());
            if (before == null) return null;
            Instant start = Instant.now();
            Fingerprint now = fingerprints.of(node.uniqueId(), s);
            if (!before.matches(now)) return null;
            // Dropped by hand, or with a parent (a cascade): built again.
            if (s.relationKind(node.relation()).isEmpty()) return null;
            unchanged.incrementAndGet();
            restore(node.uniqueId());
            maybeFlush(s);
            return new NodeResult(node.uniqueId(), NodeStatus.UNCHANGED, "SKIP (unchanged)", start, Instant.now(), null,
                    null, Map.of("fingerprint", now.shortForm(), "built_at", String.valueOf(before.builtAt()),
                    "built_by_run", before.runId()));
        }

        @Override
        public NodeResult execute(Session s) {
            String id = node.uniqueId();
            started.add(id);
            // Its parents are done: the fingerprint it builds with is final. A kept row that no longer matches goes
            // before the relation is touched (begin keeps only rows it knows to match; this makes sure).
            if (kept.contains(id) && !stored.get(id).matches(fingerprints.of(id, s))) {
                forgetKept(s, id);
            }
            NodeResult r;
            try {
                r = inner.execute(s);
            } catch (RuntimeException e) {
                // Its previous row back unless its relation was replaced before the failure (then it builds next time).
                try {
                    failed(s, id);
                } catch (DatabaseException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            if (r.status() != NodeStatus.SUCCESS) {
                failed(s, id);
                return r;
            }
            removed.remove(id);
            Fingerprint f = Fingerprints.alwaysRuns(node) ? fingerprints.ran(id, runId, changedRows(r), s) : fingerprints.of(id, s);
            // A kept row already says this (the check above): nothing to write.
            if (!kept.contains(id)) queue(new StoredFingerprint(f, Instant.now(), runId));
            maybeFlush(s);
            return r;
        }

        /** After a failure: a removed row comes back, a kept one goes if the relation was replaced before it. */
        private void failed(Session s, String id) {
            if (kept.contains(id) && swapped.contains(id)) forgetKept(s, id);
            restore(id);
            maybeFlush(s);
        }

        private static boolean changedRows(NodeResult r) {
            Object n = r.adapterResponse().get("rows_affected");
            return !(n instanceof Number num) || num.longValue() != 0;
        }
    }
}
