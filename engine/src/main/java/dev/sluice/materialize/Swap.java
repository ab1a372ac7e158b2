package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a relation under a temporary name and swaps it in within one transaction, so a model that fails
 * (or a process that dies) never leaves the previous version missing or half-written.
 */
public final class Swap {
    private final Adapter adapter;
    /** Told, on the swapping session, that the new relation is committed (the run's state records it); or null. */
    private final Consumer<Session> swapped;
    /** Relations the run builds again after this one: a view among them that the new relation does not suit may go. */
    private final Set<Relation> rebuiltLater;

    public Swap(Adapter adapter) {
        this(adapter, null);
    }

    /** @param swapped called once the new relation is committed in place of the old one (dev.sluice.state); or null */
    public Swap(Adapter adapter, Consumer<Session> swapped) {
        this(adapter, swapped, Set.of());
    }

    /** @param rebuiltLater relations this run builds after the one replaced, e.g. the views on it that it selects */
    public Swap(Adapter adapter, Consumer<Session> swapped, Set<Relation> rebuiltLater) {
        this.adapter = adapter;
        this.swapped = swapped;
        this.rebuiltLater = java.util.Objects.requireNonNull(rebuiltLater); // read-only, possibly lazy: not copied
    }

    private void committed(Session s) {
        if (swapped != null) swapped.accept(s);
    }

    /**
     * Tag of this engine process in the names of its temporary relations, so two runs that reach the same
     * relation (a target without a run lock, two targets sharing a schema) never drop each other's work in
     * flight. Fixed at start and never changed: each CLI invocation is a process of its own.
     */
    private static final String RUN_TAG = String.format("%08x",
            (int) (ProcessHandle.current().pid() * 0x9E3779B1L ^ new java.security.SecureRandom().nextInt()));

    /** What runs name their temporary relations: name__sluice_ then t/b/i/s/c/d and a tag, or an older fixed suffix. */
    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile(
            "(?i).+__sluice_(tmp|backup|incr|snap|[tbiscd][0-9a-f]{8})");

    public static Relation temp(Relation r) {
        return tagged(r, "t");
    }

    public static Relation backup(Relation r) {
        return tagged(r, "b");
    }

    /** A staging table of this run: kind "i" for incremental models; "s", "c" and "d" for snapshots (query, changes, deletions). */
    public static Relation staging(Relation r, String kind) {
        return tagged(r, kind);
    }

    /** PostgreSQL's identifier limit, the shortest of the warehouses: longer names are cut by the warehouse. */
    private static final int MAX_NAME = 63;

    private static Relation tagged(Relation r, String kind) {
        String suffix = "__sluice_" + kind + RUN_TAG;
        String id = r.identifier();
        if (id.length() + suffix.length() > MAX_NAME) {
            // Cut here, not by the warehouse (which would cut the suffix and make the temporary and backup names
            // one); a hash of the whole name keeps two long names with one prefix apart.
            id = id.substring(0, MAX_NAME - suffix.length() - 9) + "_" + digest(id);
        }
        return r.withIdentifier(id + suffix);
    }

    private static String digest(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    /** Whether a stored relation name is a temporary relation of some run (maybe a dead one). */
    public static boolean isLeftover(String name) {
        return LEFTOVER.matcher(name).matches();
    }

    /** Drops leftovers of an earlier run that was killed mid-way. */
    public void dropLeftovers(Session s, Relation target) {
        dropIfExists(s, temp(target));
        dropIfExists(s, backup(target));
    }

    public void dropIfExists(Session s, Relation r) {
        Optional<RelationKind> kind = s.relationKind(r);
        kind.ifPresent(k -> s.execute(adapter.dropSql(r, k)));
    }

    /**
     * @param build creates the new relation at the temporary name it is given
     * @param kind  what build creates
     */
    public void replace(Session s, Relation target, RelationKind kind, Consumer<Relation> build) {
        Relation tmp = temp(target);
        dropLeftovers(s, target);
        try {
            build.accept(tmp);
        } catch (RuntimeException e) {
            try {
                dropIfExists(s, tmp);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        swapIn(s, target, kind);
    }

    /**
     * Replaces target with the result of a select: in one statement (or one transaction) where the adapter can
     * do that atomically, else built at the temporary name and swapped in.
     *
     * @return the rows the warehouse reports writing, or -1 when it does not say (and for views)
     */
    public long replaceWith(Session s, Relation target, RelationKind kind, String select) {
        if (!adapter.replacesInPlace(kind)) {
            long[] rows = {-1};
            replace(s, target, kind, tmp -> rows[0] = s.executeCounted(adapter.createSql(tmp, kind, select)));
            return rows[0];
        }
        dropLeftovers(s, target);
        List<String> statements = adapter.replaceInPlaceSql(target, kind, s.relationKind(target), select);
        // One statement commits on its own, which costs DuckDB a fraction of an explicit transaction's commit.
        long rows = statements.size() == 1 ? s.executeCounted(statements.get(0)) : s.transactionCounted(statements);
        committed(s);
        return rows;
    }

    /**
     * Replaces target with a table that statements create and fill (a contract's CREATE TABLE and INSERT): in one
     * transaction where DDL is transactional, so a failing insert leaves the previous table; else built at the
     * temporary name and swapped in.
     *
     * @return the rows the last statement reports, or -1
     */
    public long replaceWithStatements(Session s, Relation target, java.util.function.Function<Relation, List<String>> build) {
        if (adapter.transactionalDdl()) {
            dropLeftovers(s, target);
            Optional<RelationKind> existing = s.relationKind(target);
            List<String> replacing = new java.util.ArrayList<>();
            existing.ifPresent(k -> replacing.add(adapter.dropSql(target, k)));
            replacing.addAll(build.apply(target));
            List<String> all = keepingDependents(s, target, existing, replacing);
            // The insert counts the rows, not the re-creation of dependent views after it.
            long rows = s.transactionCounted(all, all.lastIndexOf(replacing.get(replacing.size() - 1)));
            committed(s);
            return rows;
        }
        long[] rows = {-1};
        replace(s, target, RelationKind.TABLE, tmp -> {
            List<String> statements = build.apply(tmp);
            for (int i = 0; i < statements.size() - 1; i++) s.execute(statements.get(i));
            rows[0] = s.executeCounted(statements.get(statements.size() - 1));
        });
        return rows[0];
    }

    /** Puts the relation already built at the temporary name in place of target, atomically. */
    public void swapIn(Session s, Relation target, RelationKind kind) {
        Optional<RelationKind> existing = s.relationKind(target);
        try {
            s.transaction(keepingDependents(s, target, existing,
                    adapter.swapInSql(target, temp(target), backup(target), kind, existing)));
        } catch (RuntimeException e) {
            // The old relation stays; so would the new one at its temporary name until the next run, in the way.
            try {
                dropIfExists(s, temp(target));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        committed(s);
    }

    /**
     * The statements that replace target, between the adapter's saving and re-creating of what depends on the
     * relation they replace (PostgreSQL's views), so a replaced table never loses a view; as they are when
     * nothing exists at target yet.
     */
    private List<String> keepingDependents(Session s, Relation target, Optional<RelationKind> existing, List<String> replacing) {
        if (existing.isEmpty()) return replacing;
        Optional<String> save = adapter.saveDependentsSql(target);
        if (save.isEmpty()) return replacing;
        List<String> all = new java.util.ArrayList<>();
        all.add(save.get());
        all.addAll(replacing);
        adapter.restoreDependentsSql(target, leftToLaterBuilds(s, target)).ifPresent(all::add);
        return all;
    }

    /**
     * The views on target that this run builds again after it: the warehouse names the few views on target, and
     * only those are looked up among the run's later relations, so the restoring statement does not grow with
     * the DAG. Asked just before the transaction: a view created on target in between is not among them, so if
     * the new relation does not suit it, the swap fails and keeps the old relation rather than dropping it.
     */
    private List<Relation> leftToLaterBuilds(Session s, Relation target) {
        java.util.Set<String> views = adapter.dependentViews(s, target);
        if (views.isEmpty()) return List.of();
        return rebuiltLater.stream().filter(r -> views.contains(r.schema() + "." + r.identifier())).toList();
    }
}
