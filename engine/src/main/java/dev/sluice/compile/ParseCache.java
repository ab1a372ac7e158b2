package dev.sluice.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.adapter.Relation;
import dev.sluice.project.Node;
import dev.sluice.sql.ColumnSource;
import dev.sluice.sql.SqlAnalysis;
import dev.sluice.sql.SqlSyntaxError;
import dev.sluice.sql.TableName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * dbt's partial parsing: what parsing each node found (its refs, sources, in-file config and, where it can stand
 * for the compiled SQL, its parse render's output), kept in target/ and reused by the next command while nothing
 * it came from has changed. The whole file is keyed on what every node depends on (engine build, target and
 * profile, --vars, each project file, the set of macro names); each entry on its node's own text and config, the
 * text of every macro its render called, how each ref() and source() it called resolves now, and the environment
 * variables it read. Anything else a render may depend on (the graph, flags, run_started_at, modules, the
 * warehouse) makes its node uncacheable, so a stale entry is never used: at worst a node is parsed again.
 * A file that cannot be read or was written for another key is ignored and replaced.
 *
 * <p>Beside the parse, the file keeps Calcite's analysis of each node's compiled SQL (its output columns, column
 * lineage and the tables it reads), keyed on a digest of that SQL and on what each upstream table's columns were
 * when it was analysed: an unchanged node in an unchanged neighbourhood is not parsed by Calcite again.
 */
public final class ParseCache {
    /** Context variables whose value may differ from one invocation to the next. */
    static final java.util.Set<String> PER_INVOCATION = java.util.Set.of("run_started_at", "invocation_id", "flags",
            "graph", "selected_resources", "modules", "invocation_args_dict", "context", "thread_id");
    /** Writes the file; in a holder so that commands that only read the cache (ls) never initialise data binding. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final Path file;
    private final String key;
    private final Map<String, Entry> previous;
    private final Map<String, Entry> next = new ConcurrentHashMap<>();
    private final Map<String, Analysis> previousAnalyses;
    private final Map<String, Analysis> nextAnalyses = new ConcurrentHashMap<>();
    private volatile boolean changed;
    private final java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * What one node's parse found.
     *
     * @param hash        digest of the node's text, config and place (see {@link #nodeHash})
     * @param refs        each ref() call as [package or "", name, unique id it resolved to]
     * @param sources     each source() call as [source, table, unique id, database, schema, identifier]
     * @param envVars     each env_var() call as [name, digest of its value or "-" when unset, default given or null]
     * @param macros      "package.macro" to the digest of its text, for every macro the render called
     * @param sql         the parse render's output when it may stand for the compiled SQL, else null
     * @param varsUsed    "var.name" to the value var() gave, for the manifest's vars_used
     */
    public record Entry(String hash, List<String> dependsOn, Map<String, Object> inFile, List<List<String>> refs,
                        List<List<String>> sources, List<List<Object>> envVars, Map<String, String> macros, String sql,
                        List<String> read, boolean sideEffects, List<String> self, Map<String, List<String>> refsSeen,
                        List<String> tested, boolean testedUnknown, List<String> configReads,
                        Map<String, String> varsUsed) {
    }

    /**
     * Calcite's findings for one node's compiled SQL, valid while the SQL and every column look-up give the same.
     *
     * @param sql      digest of the compiled SQL analysed
     * @param lookups  each upstream table the analysis asked the columns of, with the answer (null: unknown)
     * @param tables   the tables the statement reads, as written (name parts)
     * @param columns  its output columns
     * @param lineage  output column to the upstream columns it is computed from
     * @param unparsed null when Calcite parsed the SQL; else why it did not (the warehouse accepted the SQL)
     * @param tooDeep  whether it did not because the SQL nests too deeply
     */
    public record Analysis(String sql, List<Lookup> lookups, List<List<String>> tables, List<String> columns,
                           Map<String, List<Source>> lineage, String unparsed, boolean tooDeep) {
    }

    /** One question the analysis asked: the columns of a table (null when they were not known). */
    public record Lookup(List<String> table, List<String> columns) {
    }

    /** One upstream column of a lineage entry. */
    public record Source(List<String> table, String column) {
    }

    /**
     * @param macros the digest of the project's macros (with the engine build) that compiled when the file was
     *               written (see Workspace.macrosDigest): while it is the same, they need not be compiled to be checked
     */
    record Stored(String key, Map<String, Entry> nodes, Map<String, Analysis> analyses, String macros) {
    }

    /** The macros digest read from the file, and the one to write (null: the file's is kept). */
    private final String previousMacros;
    private volatile String macros;

    private ParseCache(Path file, String key, Map<String, Entry> previous, Map<String, Analysis> previousAnalyses,
                       String previousMacros) {
        this.file = file;
        this.previousMacros = previousMacros;
        this.macros = previousMacros;
        this.key = key;
        this.previous = previous;
        this.previousAnalyses = previousAnalyses;
    }

    /** The cache in file for this key: its entries when the file was written for the same key, else none. */
    public static ParseCache load(Path file, String key) {
        return of(file, key, read(file));
    }

    /**
     * The cache in file for this key, from a read started earlier ({@link #prefetch}) when that read is of this
     * file and has not been used yet.
     */
    public static ParseCache load(Path file, String key, Prefetch early) {
        Stored s = early == null ? null : early.take(file);
        return s == null ? load(file, key) : of(file, key, s);
    }

    private static ParseCache of(Path file, String key, Stored s) {
        Map<String, Entry> previous = Map.of();
        Map<String, Analysis> analyses = Map.of();
        String macros = s == null ? null : s.macros();
        if (s != null && key.equals(s.key()) && s.nodes() != null) {
            previous = s.nodes();
            if (s.analyses() != null) analyses = s.analyses();
        }
        return new ParseCache(file, key, previous, analyses, macros);
    }

    /** The file's content, or null when it is missing or cannot be read (an older format: a full parse). */
    static Stored read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return ParseCacheReader.read(file);
        } catch (IOException | ParseCacheReader.Malformed | RuntimeException e) {
            // An unreadable or older-format file only costs a full parse; it is replaced when saved.
            return null;
        }
    }

    /**
     * Starts reading the cache file on a thread of its own, so that reading it overlaps with loading the project
     * (its key needs the loaded project; its content does not).
     */
    public static Prefetch prefetch(Path file) {
        java.util.concurrent.CompletableFuture<Stored> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(read(file));
            } catch (Throwable e) {
                f.complete(null);
            }
        }, "sluice-parse-cache-read");
        t.setDaemon(true);
        t.start();
        return new Prefetch(file, f);
    }

    /** A read of the cache file under way; used once, by the first load of that file. */
    public static final class Prefetch {
        private final Path file;
        private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Stored>> read;

        private Prefetch(Path file, java.util.concurrent.CompletableFuture<Stored> read) {
            this.file = file;
            this.read = new java.util.concurrent.atomic.AtomicReference<>(read);
        }

        /**
         * The macros digest of what was read (waiting for the read), or null when nothing was read or the read
         * was used already.
         */
        public String macros() {
            java.util.concurrent.CompletableFuture<Stored> f = read.get();
            Stored s = f == null ? null : f.join();
            return s == null ? null : s.macros();
        }

        /** What was read, once; null after the first call, for another file, or when nothing could be read. */
        private Stored take(Path of) {
            if (!file.equals(of)) return null;
            java.util.concurrent.CompletableFuture<Stored> f = read.getAndSet(null);
            return f == null ? null : f.join();
        }
    }

    /**
     * The kept analysis of a node's SQL when it still holds: the SQL has the same digest and every upstream table
     * the analysis looked at has the same columns now; else null (analyse afresh and {@link #analysed} it).
     */
    SqlAnalysis analysis(String uniqueId, String sqlDigest, Function<TableName, Optional<List<String>>> knownColumns) {
        Analysis a = previousAnalyses.get(uniqueId);
        if (a == null || !a.sql().equals(sqlDigest)) return null;
        for (Lookup l : a.lookups()) {
            if (!Objects.equals(knownColumns.apply(new TableName(l.table())).orElse(null), l.columns())) return null;
        }
        nextAnalyses.put(uniqueId, a);
        List<TableName> tables = new ArrayList<>();
        for (List<String> t : a.tables()) tables.add(new TableName(t));
        Map<String, Set<ColumnSource>> lineage = new LinkedHashMap<>();
        a.lineage().forEach((column, sources) -> {
            Set<ColumnSource> from = new LinkedHashSet<>();
            for (Source s : sources) from.add(new ColumnSource(new TableName(s.table()), s.column()));
            lineage.put(column, Collections.unmodifiableSet(from));
        });
        return new SqlAnalysis(a.unparsed() == null ? Optional.empty() : Optional.of(new SqlSyntaxError(a.unparsed(), 0, 0)),
                List.copyOf(tables), List.copyOf(a.columns()), Collections.unmodifiableMap(lineage), a.tooDeep());
    }

    /**
     * Keeps a fresh analysis of a node's SQL with the column look-ups it made: one Calcite parsed, or one it did
     * not where the warehouse has accepted the SQL.
     */
    void analysed(String uniqueId, String sqlDigest, List<Lookup> lookups, SqlAnalysis a) {
        List<List<String>> tables = new ArrayList<>();
        for (TableName t : a.tables()) tables.add(t.parts());
        Map<String, List<Source>> lineage = new LinkedHashMap<>();
        a.lineage().forEach((column, sources) -> {
            List<Source> from = new ArrayList<>();
            for (ColumnSource s : sources) from.add(new Source(s.table().parts(), s.column()));
            lineage.put(column, from);
        });
        nextAnalyses.put(uniqueId, new Analysis(sqlDigest, List.copyOf(lookups), tables, List.copyOf(a.columns()), lineage,
                a.syntaxError().map(SqlSyntaxError::message).orElse(null), a.tooDeep()));
        changed = true;
    }

    /** The entry kept for a node, when its hash matches (the caller still checks what the entry depends on). */
    Entry candidate(String uniqueId, String hash) {
        Entry e = previous.get(uniqueId);
        return e != null && e.hash().equals(hash) ? e : null;
    }

    void hit(String uniqueId, Entry e) {
        hits.incrementAndGet();
        next.put(uniqueId, e);
    }

    /** A node parsed afresh; entry null when it cannot be cached. */
    void miss(String uniqueId, Entry e) {
        misses.incrementAndGet();
        changed = true;
        if (e != null) next.put(uniqueId, e);
    }

    /** Records the digest of macros known to compile now (written with the cache). */
    public void macrosChecked(String digest) {
        this.macros = digest;
    }

    public int hits() {
        return hits.get();
    }

    public int misses() {
        return misses.get();
    }

    /** Whether what save() would write is what was read: no node or analysis new, changed or gone. */
    public boolean unchanged() {
        return !changed && Objects.equals(macros, previousMacros) && next.keySet().equals(previous.keySet()) && nextAnalyses.keySet().equals(previousAnalyses.keySet());
    }

    /** The write started by the last save(), or null. */
    private volatile Thread saving;
    /** What stopped that write other than an I/O error, rethrown by awaitSaved(). */
    private volatile RuntimeException savingFailed;

    /**
     * Writes the cache when anything differs from what was read (a new, changed or removed node), on a thread of
     * its own: serializing a 10,000-node cache (17 MB) was 8% of a compile's CPU on the main thread, which can
     * meanwhile build and write the manifest. The entries are copied here, so what is written is what the
     * compile found; they are sorted (the file's order) on the writing thread, since sorting 10,000 ids was most
     * of what save() cost the main thread. Whoever owns the cache waits for the write with awaitSaved() before the
     * process ends.
     */
    public void save() {
        if (unchanged()) return;
        awaitSaved();
        Map<String, Entry> nodes = new java.util.HashMap<>(next);
        Map<String, Analysis> analyses = new java.util.HashMap<>(nextAnalyses);
        String written = macros;
        Thread t = new Thread(() -> {
            try {
                write(new Stored(key, new java.util.TreeMap<>(nodes), new java.util.TreeMap<>(analyses), written));
            } catch (RuntimeException e) {
                savingFailed = e;
            }
        }, "sluice-parse-cache-write");
        saving = t;
        t.start();
    }

    /** Waits until the last save() has written its file (or given up on it). */
    public void awaitSaved() {
        Thread t = saving;
        if (t == null) return;
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        saving = null;
        RuntimeException failed = savingFailed;
        savingFailed = null;
        if (failed != null) throw failed;
    }

    private void write(Stored stored) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Writer.JSON.writeValue(tmp.toFile(), stored);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // The cache only saves time: a target/ that cannot be written costs the next command a full parse.
        }
    }

    /** Removes the cache file (--no-partial-parse starts afresh, as dbt's does). */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Nothing to do: a stale file is never used for another key.
        }
    }

    /** A digest of everything about one node that its parse render reads from the node itself. */
    static String nodeHash(Node n) {
        return digest(n.uniqueId(), n.type().name(), n.name(), n.file().toString(), String.valueOf(n.fqn()), n.rawCode(),
                String.valueOf(n.config()), String.valueOf(n.test()), String.valueOf(n.testedId()), String.valueOf(n.lineOffset()));
    }

    /** SHA-256 of the parts (each length-prefixed, so parts cannot run into each other), as hex of 16 bytes. */
    public static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] b = (p == null ? "\u0000null" : p).getBytes(StandardCharsets.UTF_8);
                md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> relation(Relation r) {
        if (r == null) return null;
        List<String> out = new ArrayList<>(3);
        out.add(r.database());
        out.add(r.schema());
        out.add(r.identifier());
        return out;
    }

    static Relation relation(List<String> r) {
        return r == null ? null : new Relation(r.get(0), r.get(1), r.get(2));
    }

    /** Whether a config value survives a JSON round trip unchanged (strings, numbers, booleans, lists, maps). */
    static boolean plain(Object v) {
        // Integers are left out: JSON gives back a Long (what templates make) as an Integer, so only Longs round-trip.
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return true;
        }
        if (v instanceof List<?> l) return l.stream().allMatch(ParseCache::plain);
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().allMatch(e -> e.getKey() instanceof String && plain(e.getValue()));
        }
        return false;
    }

    /** A stored config map with its whole numbers as Longs again, as the template that set them made them. */
    @SuppressWarnings("unchecked")
    static Object restore(Object v) {
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(restore(x));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, restore(x)));
            return out;
        }
        return v;
    }
}
