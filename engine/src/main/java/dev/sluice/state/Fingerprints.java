package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.NodeType;
import dev.sluice.project.SourceTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes the current fingerprint of the nodes of a compiled manifest (see {@link Fingerprint} for what goes
 * in). Memoised per instance; safe to use from the run's worker threads.
 *
 * <p>A parent enters its child's fingerprint as the child would read it: a parent that takes part in this run
 * with its current fingerprint (it is built, or confirmed unchanged, before the child); a parent left out of the
 * run with its stored fingerprint, since its relation still holds what was built then; a relation-building parent
 * left out without a stored row with a value that matches nothing, so its children rebuild until it is built with
 * fingerprints (ephemeral models and operator outputs, which have no rows of their own, with their current one). A source enters with its data version: {@code count(*)}, and
 * {@code max(loaded_at_field)} where the source declares one; so new rows in a source invalidate what reads it,
 * while an update that keeps the row count (and, with loaded_at_field, the latest load time) does not. Tables a
 * model reads without ref() or source() are not tracked.
 *
 * <p>Without a run ({@code inRun} null, as for a plan), every parent enters with its current fingerprint: the
 * answer to "what would a full build produce", compared with {@link FingerprintStore#load} gives new / modified /
 * unchanged. Nodes that always run keep their stored data version until {@link #ran} reports a new one.
 */
public final class Fingerprints {
    /**
     * The engine's version of each materialization: raised when what a materialization builds from the same SQL
     * and config changes, so relations built by the older engine are rebuilt once.
     */
    private static final Map<String, String> MATERIALIZATION_VERSIONS = Map.of("view", "1", "table", "1",
            "incremental", "1", "seed", "1", "snapshot", "1", "operator", "1", "ephemeral", "1", "operator_output", "1", "test", "1");
    /** Config that does not change the built relation: documentation, ownership and selection only. */
    private static final Set<String> IGNORED_CONFIG = Set.of("tags", "meta", "docs", "group", "access", "description",
            "enabled", "freshness", "loaded_at_field", "loaded_at_query", "label", "owner");

    private final Manifest manifest;
    private final Adapter adapter;
    private final Path projectRoot;
    private final Map<String, StoredFingerprint> stored;
    private final Set<String> inRun;
    /** Fingerprints of nodes still to be built in this run that always run: set by {@link #ran}. */
    private final Map<String, Fingerprint> memo = new ConcurrentHashMap<>();
    private final Map<String, String> sourceVersions = new ConcurrentHashMap<>();
    private final java.util.function.Function<SourceTable, String> loadedAtField;
    /** Stands for parents whose relation no stored row describes: new for each instance, so it never matches. */
    private final String unknownParents = java.util.UUID.randomUUID().toString();

    /**
     * @param stored what the target's state table holds ({@link FingerprintStore#load})
     * @param inRun  the nodes of this run, or null to compute every fingerprint as a full build would
     */
    public Fingerprints(Manifest manifest, Adapter adapter, Path projectRoot, Map<String, StoredFingerprint> stored,
                        Collection<String> inRun) {
        this(manifest, adapter, projectRoot, stored, inRun, s -> null);
    }

    /** @param loadedAtField a source's loaded_at_field, or null */
    public Fingerprints(Manifest manifest, Adapter adapter, Path projectRoot, Map<String, StoredFingerprint> stored,
                        Collection<String> inRun, java.util.function.Function<SourceTable, String> loadedAtField) {
        this.manifest = manifest;
        this.adapter = adapter;
        this.projectRoot = projectRoot;
        this.stored = stored;
        this.inRun = inRun == null ? null : Set.copyOf(inRun);
        this.loadedAtField = loadedAtField;
    }

    /** Whether a node's relation is kept when its fingerprint is unchanged: views, tables and seeds. */
    public static boolean skippable(CompiledNode n) {
        NodeType t = n.node().type();
        // A seed configured full_refresh: true is rebuilt on every run, as in dbt.
        if (t == NodeType.SEED) return !dev.sluice.project.Configs.bool(n.config().get("full_refresh"), false);
        return t == NodeType.MODEL && Set.of("view", "table").contains(n.materialized());
    }

    /**
     * Whether a node runs on every build even when unchanged: incremental models (their increment), snapshots,
     * operators and custom materializations. Their fingerprint carries a data version instead.
     */
    public static boolean alwaysRuns(CompiledNode n) {
        NodeType t = n.node().type();
        if (t == NodeType.SNAPSHOT || t == NodeType.OPERATOR) return true;
        return t == NodeType.MODEL && !skippable(n) && !n.isEphemeral() && !n.node().isOperatorOutput();
    }

    /** Every node's current fingerprint (tests and unit tests have none), in manifest order. */
    public Map<String, Fingerprint> all(Session s) {
        Map<String, Fingerprint> out = new java.util.LinkedHashMap<>();
        for (CompiledNode n : manifest.nodes().values()) {
            if (hasFingerprint(n)) out.put(n.uniqueId(), of(n.uniqueId(), s));
        }
        return out;
    }

    public static boolean hasFingerprint(CompiledNode n) {
        return n.node().type() != NodeType.TEST && n.node().type() != NodeType.UNIT_TEST && n.node().type() != NodeType.SOURCE;
    }

    /**
     * The node's current fingerprint; for a data test, that of its last pass as {@link FingerprintTracker} records it.
     *
     * @param s where sources' data versions are read (a source is queried once per instance)
     */
    public Fingerprint of(String id, Session s) {
        Fingerprint known = memo.get(id);
        if (known != null) return known;
        CompiledNode n = manifest.node(id);
        if (n == null) throw new IllegalArgumentException("no node " + id);
        String sql = n.node().type() == NodeType.SEED ? fileHash(n) : Fingerprint.sha256(String.valueOf(n.compiledSql()));
        String dataVersion = "";
        if (alwaysRuns(n)) {
            StoredFingerprint before = stored.get(id);
            dataVersion = before == null ? "" : before.fingerprint().dataVersion();
        }
        Fingerprint f = Fingerprint.of(id, sql, configHash(n), upstreamHash(n, s), dataVersion);
        Fingerprint raced = memo.putIfAbsent(id, f);
        return raced != null ? raced : f;
    }

    /**
     * Records that an always-running node finished in run {@code runId}; when it changed rows, its children see
     * a new data version.
     *
     * @return its fingerprint now, to store
     */
    public Fingerprint ran(String id, String runId, boolean changedRows, Session s) {
        Fingerprint before = of(id, s);
        Fingerprint after = changedRows || before.dataVersion().isEmpty() ? before.withDataVersion(runId) : before;
        memo.put(id, after);
        return after;
    }

    /**
     * Whether the node's fingerprint is already final before the run's nodes start: it reads no source (whose data
     * version is read from the warehouse) and no node that always runs in this run (whose data version {@link #ran}
     * may still change), directly or through its parents in the run. Such a node's {@link #of} can be asked with a
     * null session and gives the value it will have when the node runs.
     */
    public boolean predictable(String id) {
        Boolean known = predictable.get(id);
        if (known != null) return known;
        CompiledNode n = manifest.node(id);
        boolean out = n != null && !alwaysRuns(n);
        if (out) {
            Set<String> parents = new TreeSet<>(n.dependsOn());
            if (n.node().isOperatorOutput() && n.node().testedId() != null) parents.add(n.node().testedId());
            for (String p : parents) {
                if (manifest.sources().containsKey(p)) {
                    out = false;
                } else if (manifest.node(p) != null && hasFingerprint(manifest.node(p))) {
                    CompiledNode parent = manifest.node(p);
                    // The branches of upstreamHash: a parent outside the run enters with a constant (its stored
                    // fingerprint, or the unknown marker), except one without a relation of its own.
                    boolean constant = inRun != null && !inRun.contains(p)
                            && (stored.containsKey(p) || skippable(parent) || alwaysRuns(parent));
                    if (!constant && !predictable(p)) out = false;
                }
                if (!out) break;
            }
        }
        predictable.put(id, out);
        return out;
    }

    private final Map<String, Boolean> predictable = new ConcurrentHashMap<>();

    private String fileHash(CompiledNode n) {
        try {
            return Fingerprint.sha256(Files.readAllBytes(projectRoot.resolve(n.node().file())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + n.node().file() + ": " + e.getMessage(), e);
        }
    }

    private String configHash(CompiledNode n) {
        Map<String, Object> relevant = new TreeMap<>();
        n.config().forEach((k, v) -> {
            if (!IGNORED_CONFIG.contains(k)) relevant.put(k, v);
        });
        String materialization = n.node().type() == NodeType.MODEL ? n.materialized() : n.node().type().label();
        StringBuilder b = new StringBuilder();
        b.append("materialization ").append(materialization).append(" v")
                .append(MATERIALIZATION_VERSIONS.getOrDefault(materialization, "custom-1")).append('\n');
        b.append("relation ").append(n.relation() == null ? "" : n.relation().display()).append('\n');
        b.append("config ");
        canonical(relevant, b);
        b.append("\npre ").append(n.preHooks()).append("\npost ").append(n.postHooks());
        if (relevant.containsKey("persist_docs") || relevant.containsKey("contract")) {
            // Persisted descriptions become comments on the relation; a contract's columns and types are checked.
            b.append("\ndocs ").append(n.node().description());
            n.node().columns().forEach(c -> b.append('\n').append(c));
        }
        return Fingerprint.sha256(b.toString());
    }

    private String upstreamHash(CompiledNode n, Session s) {
        Set<String> parents = new TreeSet<>(n.dependsOn());
        // An operator's output table is written by its operator.
        if (n.node().isOperatorOutput() && n.node().testedId() != null) parents.add(n.node().testedId());
        StringBuilder b = new StringBuilder();
        for (String p : parents) {
            b.append(p).append(' ');
            if (manifest.sources().containsKey(p)) {
                b.append("source ").append(sourceVersion(p, s));
            } else if (manifest.node(p) != null && hasFingerprint(manifest.node(p))) {
                CompiledNode parent = manifest.node(p);
                StoredFingerprint before = stored.get(p);
                if (inRun == null || inRun.contains(p)) {
                    b.append(of(p, s).fingerprint());
                } else if (before != null) {
                    b.append(before.fingerprint().fingerprint());
                } else if (skippable(parent) || alwaysRuns(parent)) {
                    // A relation left out of the run and without a row holds something no fingerprint describes
                    // (a seed loaded with --empty, a failed post-hook): a child built on it must not pass later
                    // for one built on the parent's real content.
                    b.append("unknown ").append(unknownParents);
                } else {
                    b.append(of(p, s).fingerprint());
                }
            }
            b.append('\n');
        }
        return Fingerprint.sha256(b.toString());
    }

    /** A source's data version: its row count and latest load time, or "missing" when it cannot be read. */
    public String sourceVersion(String sourceId, Session s) {
        return sourceVersions.computeIfAbsent(sourceId, id -> {
            SourceTable t = manifest.sources().get(id);
            Relation r = new Relation(t.database(), t.schema(), t.identifier());
            String field = loadedAtField.apply(t);
            String sql = "select count(*)" + (field == null ? "" : ", max(" + field + ")") + " from " + adapter.render(r);
            try {
                List<String> parts = new ArrayList<>();
                for (Object v : s.query(sql).get(0).values()) parts.add(String.valueOf(v));
                // An external source is as new as its file: a new file with as many rows is still new data.
                if (t.external() != null && java.nio.file.Files.isRegularFile(t.external().file())) {
                    parts.add(dev.sluice.external.ExternalLoader.sha256(t.external()));
                }
                return String.join(" ", parts);
            } catch (DatabaseException e) {
                // Not there (yet) or not readable: its readers are rebuilt once it can be read.
                return "missing";
            }
        });
    }

    /** Deterministic text of a config value: maps by key, lists in order. */
    private static void canonical(Object v, StringBuilder b) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            b.append('{');
            sorted.forEach((k, x) -> {
                b.append(k).append(':');
                canonical(x, b);
                b.append(',');
            });
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            for (Object x : c) {
                canonical(x, b);
                b.append(',');
            }
            b.append(']');
        } else {
            b.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
        }
    }
}
