package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.DatabaseException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
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
 * <p>Where a node's relation is swapped in by a transaction (views, tables, seeds), its state row is written in
 * that same transaction ({@link #commitWith}): on PostgreSQL and DuckDB the row and the relation change together or
 * not at all. Snowflake commits DDL on its own and Spark/Databricks have no multi-statement transactions, so
 * there the row follows the swap; a crash in between leaves the older row, which costs a rebuild, never a wrong
 * skip. Incremental models, snapshots and operators always run; their row is written after they succeed. A node
 * that fails after its row was committed (a post-hook, persisted docs) has the row removed again, so a failed
 * node is never skipped next time; one that fails before keeps its previous row, which still describes the
 * relation it left in place.
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
    /** Nodes whose row went into their swap's transaction statements. */
    private final Set<String> inTransaction = ConcurrentHashMap.newKeySet();
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
        if (!rows.isEmpty()) s.transaction(store.writeAllSql(rows));
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
        FingerprintStore store = FingerprintStore.forTarget(adapter, target);
        // One run per target holds the run lock, so nothing else creates the table between the check and the DDL.
        if (s.relationKind(store.table()).isEmpty()) s.execute(store.createSql());
        Map<String, StoredFingerprint> stored = store.load(s);
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

    /**
     * The statements that record the node's fingerprint, for the transaction that swaps its relation in; the
     * materialization calls it just before that transaction, on the node's session.
     */
    public Function<Session, List<String>> commitWith(String id) {
        return s -> {
            inTransaction.add(id);
            ensureTable(s);
            return store.writeSql(new StoredFingerprint(fingerprints.of(id, s), Instant.now(), runId));
        };
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
        return new Tracked(job, n);
    }

    /** A data test: skipped when unchanged since it last passed, recorded when it passes, forgotten when not. */
    private final class TrackedTest implements NodeJob {
        private final NodeJob inner;
        private final CompiledNode node;

        TrackedTest(NodeJob inner, CompiledNode node) {
            this.inner = inner;
            this.node = node;
        }

        @Override
        public NodeJob unwrapped() {
            return inner.unwrapped();
        }

        @Override
        public String uniqueId() {
            return inner.uniqueId();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public NodeResult unchanged(Session s) {
            if (!skipUnchanged || !skipTests) return null;
            StoredFingerprint before = stored.get(node.uniqueId());
            if (before == null) return null;
            Instant start = Instant.now();
            Fingerprint now = fingerprints.of(node.uniqueId(), s);
            if (!now.fingerprint().equals(before.fingerprint().fingerprint())) return null;
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
                passed.add(new StoredFingerprint(fingerprints.of(node.uniqueId(), s), Instant.now(), runId));
            } else {
                // A test that failed, warned or errored runs again next time, whatever changes.
                forget(s, null);
            }
            return r;
        }

        private void forget(Session s, RuntimeException cause) {
            if (!stored.containsKey(node.uniqueId())) return;
            try {
                s.transaction(store.forgetSql(node.uniqueId()));
            } catch (DatabaseException e) {
                if (cause != null) cause.addSuppressed(e);
                else throw e;
            }
        }
    }

    private final class Tracked implements NodeJob {
        private final NodeJob inner;
        private final CompiledNode node;

        Tracked(NodeJob inner, CompiledNode node) {
            this.inner = inner;
            this.node = node;
        }

        @Override
        public NodeJob unwrapped() {
            return inner.unwrapped();
        }

        @Override
        public String uniqueId() {
            return inner.uniqueId();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public NodeResult unchanged(Session s) {
            if (!skipUnchanged || !Fingerprints.skippable(node)) return null;
            StoredFingerprint before = stored.get(node.uniqueId());
            if (before == null) return null;
            Instant start = Instant.now();
            Fingerprint now = fingerprints.of(node.uniqueId(), s);
            if (!now.fingerprint().equals(before.fingerprint().fingerprint())) return null;
            // Dropped by hand, or with a parent (a cascade): built again.
            if (s.relationKind(node.relation()).isEmpty()) return null;
            unchanged.incrementAndGet();
            return new NodeResult(node.uniqueId(), NodeStatus.UNCHANGED, "SKIP (unchanged)", start, Instant.now(), null,
                    null, Map.of("fingerprint", now.shortForm(), "built_at", String.valueOf(before.builtAt()),
                    "built_by_run", before.runId()));
        }

        @Override
        public NodeResult execute(Session s) {
            NodeResult r;
            try {
                r = inner.execute(s);
            } catch (RuntimeException e) {
                forgetIfCommitted(s, e);
                throw e;
            }
            if (r.status() != NodeStatus.SUCCESS) {
                forgetIfCommitted(s, null);
                return r;
            }
            if (Fingerprints.alwaysRuns(node)) {
                Fingerprint f = fingerprints.ran(node.uniqueId(), runId, changedRows(r), s);
                ensureTable(s);
                s.transaction(store.writeSql(new StoredFingerprint(f, Instant.now(), runId)));
            } else if (!inTransaction.contains(node.uniqueId())) {
                // A materialization without a swap transaction (a custom one): recorded after it.
                ensureTable(s);
                s.transaction(store.writeSql(new StoredFingerprint(fingerprints.of(node.uniqueId(), s), Instant.now(), runId)));
            }
            return r;
        }

        /**
         * After a failure: a row this run wrote with the swap goes again (the node failed after the swap, so it
         * must build next time); when the swap's transaction rolled back there is no such row and the previous
         * one stays, describing the relation left in place.
         */
        private void forgetIfCommitted(Session s, RuntimeException cause) {
            if (!inTransaction.contains(node.uniqueId())) return;
            try {
                s.execute(store.forgetSql(node.uniqueId(), runId));
            } catch (DatabaseException e) {
                if (cause != null) cause.addSuppressed(e);
            }
        }

        private static boolean changedRows(NodeResult r) {
            Object n = r.adapterResponse().get("rows_affected");
            return !(n instanceof Number num) || num.longValue() != 0;
        }
    }
}
