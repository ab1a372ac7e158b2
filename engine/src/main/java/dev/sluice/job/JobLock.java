package dev.sluice.job;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RowValues;
import dev.sluice.adapter.Session;
import dev.sluice.error.DatabaseException;
import dev.sluice.error.RunLockedException;
import dev.sluice.project.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run per job at a time, kept in the warehouse ({@code <target schema>.sluice_job_locks}) so schedulers on
 * different machines see the same lock, on every kind of warehouse. A lock is a row per job: owner, acquired_at,
 * heartbeat_at (null until the taker has seen every row of the job its own), expires_at. Taking it is one conditional update ("set owner = me where the row is free or
 * expired") followed by reading the row back: the warehouse runs concurrent updates of a row one after the other
 * (PostgreSQL row locks, Snowflake's table lock for DML, Delta's and DuckDB's write conflicts), so at most one
 * taker finds itself the owner. On PostgreSQL every taker first takes a transaction-scoped advisory lock on the
 * job, so takers pass one at a time, the job has one row and the first claim decides. Elsewhere no unique key is
 * available (Snowflake and Databricks do not enforce one) and two first-ever takers may each add a row and claim
 * their own: a taker owns the lock when every row of the job it reads back is its own, and a split is settled the
 * same way by every taker: the smallest owner keeps its rows and takes the others' as their claimants free
 * them. A claim is one statement that the warehouse runs whole or not at all against a concurrent one, so no
 * one can take every row while another still holds one. (A duplicate row committed after the winner read back
 * stays unowned: whoever claims it later also sees the winner's row and is refused.)
 *
 * <p>The holder renews expires_at every {@code ttl / 4}; a holder that died (killed, machine lost) stops
 * renewing and its lock is free once expires_at has passed, or at once when it ran on the same machine as the
 * next taker, which can see that its process is gone. Times are the schedulers' own clocks (UTC), so
 * their clocks must agree to well within the ttl.
 */
public final class JobLock implements AutoCloseable {
    public static final String TABLE = "sluice_job_locks";
    /** How long a lock outlives its holder's last heartbeat. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger("engine.job");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    /** How long concurrent first takers may contest a lock before giving up; they settle in milliseconds. */
    private static final Duration CONTEST = Duration.ofSeconds(10);
    private static final List<String> COLUMNS = List.of("job", "owner", "acquired_at", "heartbeat_at", "expires_at");
    /**
     * Where this process's id means something: the machine's boot and the PID namespace (Linux). A host name is not
     * enough: containers and cloned machines share names, and a container cannot see another one's processes.
     */
    private static final java.util.Optional<String> PROCESS_SPACE = processSpace();

    private final Adapter adapter;
    private final Relation table;
    private final String job;
    private final String owner;
    private final Clock clock;
    private final Duration ttl;
    private ScheduledExecutorService heartbeat;
    private boolean released;

    private JobLock(Adapter adapter, Target target, String job, String owner, Clock clock, Duration ttl) {
        this.adapter = adapter;
        this.table = new Relation(null, target.schema(), TABLE);
        this.job = job;
        this.owner = owner;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * Takes the job's lock without waiting.
     *
     * @param heartbeat renew the lock from a background thread while it is held; false where nothing else can
     *                  reach the warehouse meanwhile (DuckDB: the holding process has the file to itself)
     * @throws RunLockedException naming the holder when the job is running
     */
    public static JobLock acquire(Adapter adapter, Target target, String job, Clock clock, Duration ttl, boolean heartbeat) {
        String owner = "pid " + ProcessHandle.current().pid() + ", host " + dev.sluice.adapter.RunLock.hostName()
                + PROCESS_SPACE.map(p -> ", ns " + p).orElse("") + ", lock " + UUID.randomUUID().toString().substring(0, 8);
        JobLock lock = new JobLock(adapter, target, job, owner, clock, ttl);
        lock.take();
        if (heartbeat) lock.startHeartbeat();
        return lock;
    }

    public String owner() {
        return owner;
    }

    private void take() {
        withLockTable(s -> {
            ensure(s);
            freeDeadHoldersOnThisHost(s);
            String q = adapter.render(table);
            // The job's row, free, when there is none yet (without a unique key two first takers may each add one).
            String insert = "insert into " + q + " (" + cols() + ") select " + lit(job) + ", " + nulls(4)
                    + " where not exists (select 1 from " + q + " where " + col("job") + " = " + lit(job) + ")";
            Optional<String> exclusive = adapter.exclusiveSectionSql(sectionKey(q));
            long deadline = System.nanoTime() + CONTEST.toNanos();
            DatabaseException conflict = null;
            boolean watching = false; // stepped back from a contest: only read until it is settled
            while (true) {
                Instant now = clock.instant();
                String at = adapter.timestampLiteral(now);
                // Claims every free row (and its own) in one statement, which the warehouse runs whole or not at all
                // against a concurrent one: a write conflict (DuckDB, Delta) or a row lock (PostgreSQL, Snowflake).
                String claim = "update " + q + " set " + col("owner") + " = " + lit(owner) + ", " + col("acquired_at") + " = " + at
                        + ", " + col("heartbeat_at") + " = null, " + col("expires_at") + " = " + adapter.timestampLiteral(now.plus(ttl))
                        + " where " + col("job") + " = " + lit(job) + " and (" + col("owner") + " is null or " + col("owner") + " = " + lit(owner)
                        + " or " + col("expires_at") + " is null or " + col("expires_at") + " < " + at + ")";
                if (!watching) try {
                    if (exclusive.isPresent()) {
                        // PostgreSQL: takers of this job pass one at a time, so there is one row and the first claim decides.
                        s.transaction(List.of(exclusive.get(), insert, claim));
                    } else {
                        s.execute(insert);
                        s.execute(claim);
                    }
                } catch (DatabaseException e) {
                    conflict = e; // a concurrent taker's write won (DuckDB, Delta): the rows read below say who holds it
                }
                List<Row> rows = rows(s);
                boolean mine = rows.stream().anyMatch(r -> owner.equals(r.owner()));
                java.util.SortedSet<String> others = new java.util.TreeSet<>();
                Row settled = null;
                for (Row r : rows) {
                    if (r.owner() == null || owner.equals(r.owner()) || r.expiresAt() == null || r.expiresAt().isBefore(now)) continue;
                    others.add(r.owner());
                    if (r.heartbeatAt() != null) settled = r;
                }
                boolean late = System.nanoTime() > deadline;
                if (mine && others.isEmpty()) {
                    if (rows.stream().allMatch(r -> owner.equals(r.owner()))) {
                        try {
                            settle(s, at);
                            return;
                        } catch (DatabaseException e) {
                            conflict = e; // a write conflict: claim and look again
                        }
                    }
                    // Else a free duplicate row another first taker added just now: the next claim takes it as well.
                } else if (!others.isEmpty()) {
                    // Two first-ever takers each added a row and claimed it, not seeing the other's. The contest is
                    // settled the same way by everyone: a holder that has settled (seen every row its own) keeps it,
                    // else the smallest owner keeps its rows and takes the others' as they are freed, and the rest free
                    // theirs. Claims are whole, so no one can see every row its own while another holds one.
                    if (mine && settled == null && owner.compareTo(others.first()) < 0 && !late) {
                        pause();
                        continue;
                    }
                    if (mine) free(s);
                    if (settled != null || late) {
                        Row holder = settled != null ? settled : rows.stream().filter(r -> others.first().equals(r.owner())).findFirst().orElseThrow();
                        throw new RunLockedException("job '" + job + "' is already running since " + at(holder.acquiredAt()) + " ("
                                + holder.owner() + "; its lock in " + q + " expires at " + at(holder.expiresAt())
                                + " unless the holder renews it)");
                    }
                    watching = true; // a holder that has not settled yet may still lose a contest: wait to name the winner
                } else if (late) {
                    // No one holds it, yet every claim of ours met a concurrent write for the whole contest.
                    if (conflict != null) throw conflict;
                    throw new RunLockedException("job '" + job + "': its lock in " + q + " could not be taken; try again");
                } else {
                    watching = false; // free again (a contest's winner gave up): claim it
                }
                pause();
            }
        });
    }

    /**
     * Marks the lock as this holder's for good (heartbeat_at set): every row was its own when read back, so no
     * contest can take it any more, and waiting takers may name it as the holder.
     */
    private void settle(Session s, String at) {
        s.execute("update " + adapter.render(table) + " set " + col("heartbeat_at") + " = " + at + " where " + col("job") + " = " + lit(job)
                + " and " + col("owner") + " = " + lit(owner));
    }

    /** The advisory key of this job's lock, the same for every taker of the job in this table. */
    private long sectionKey(String renderedTable) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("sluice-job-lock\u0000" + renderedTable + "\u0000" + job).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) k = (k << 8) | (d[i] & 0xff);
            return k;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 50));
    }

    /**
     * A holder on this machine whose process has ended (killed, crashed) frees its lock now rather than when it
     * expires: freed only if that same holder still has it, so a lock taken over meanwhile is left alone.
     */
    private void freeDeadHoldersOnThisHost(Session s) {
        if (PROCESS_SPACE.isEmpty()) return; // no way to tell this machine's processes from another's
        java.util.regex.Pattern mine = java.util.regex.Pattern.compile("pid (\\d{1,18}), host \\S+, ns " + java.util.regex.Pattern.quote(PROCESS_SPACE.get())
                + ", lock \\S+");
        for (Row r : rows(s)) {
            if (r.owner() == null) continue;
            java.util.regex.Matcher m = mine.matcher(r.owner());
            if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) continue;
            LOG.info("job {}: its lock was held by {}, a process of this machine that has ended: freed", job, r.owner());
            s.execute("update " + adapter.render(table) + " set " + col("owner") + " = " + nulls(1) + ", " + col("acquired_at") + " = null, "
                    + col("heartbeat_at") + " = null, " + col("expires_at") + " = null where " + col("job") + " = " + lit(job)
                    + " and " + col("owner") + " = " + lit(r.owner()));
        }
    }

    private static java.util.Optional<String> processSpace() {
        try {
            String boot = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip();
            String ns = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
            return boot.isEmpty() || ns.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(boot + "/" + ns);
        } catch (java.io.IOException | RuntimeException notLinux) {
            return java.util.Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLockedException("interrupted while taking a job lock");
        }
    }

    /** Renews the lock: called by the heartbeat thread; public so a test can drive it with its clock. */
    public void renew() {
        Instant now = clock.instant();
        withLockTable(s -> s.execute("update " + adapter.render(table) + " set " + col("heartbeat_at") + " = " + adapter.timestampLiteral(now) + ", "
                + col("expires_at") + " = " + adapter.timestampLiteral(now.plus(ttl)) + " where " + col("job") + " = " + lit(job)
                + " and " + col("owner") + " = " + lit(owner)));
    }

    /**
     * Works on the lock table in a session of its own, one writer at a time in this process where the warehouse
     * needs it (DuckDB); takers in other processes (or on warehouses that need no such thing) contest as described
     * above.
     */
    private void withLockTable(java.util.function.Consumer<Session> work) {
        adapter.inProcessSection(TABLE, () -> {
            try (Session s = adapter.open()) {
                work.accept(s);
            }
            return null;
        });
    }

    private void startHeartbeat() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-job-lock-" + job);
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, ttl.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                renew();
            } catch (RuntimeException e) {
                // The next beat tries again; three misses in a row let the lock expire, which is the point of it.
                LOG.warn("job {}: cannot renew its lock: {}", job, JobOutcome.firstLine(e.getMessage()));
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The rows of the job's lock, as they stand. */
    public record Row(String owner, Instant acquiredAt, Instant heartbeatAt, Instant expiresAt) {
    }

    /** Every lock row of a job (normally one). */
    public static List<Row> rows(Adapter adapter, Target target, String job) {
        JobLock probe = new JobLock(adapter, target, job, "", Clock.systemUTC(), Duration.ZERO);
        try (Session s = adapter.open()) {
            return s.relationKind(probe.table).isEmpty() ? List.of() : probe.rows(s);
        }
    }

    private List<Row> rows(Session s) {
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> row : s.query("select " + col("owner") + ", " + col("acquired_at") + ", " + col("heartbeat_at") + ", "
                + col("expires_at") + " from " + adapter.render(table) + " where " + col("job") + " = " + lit(job))) {
            Iterator<Object> v = row.values().iterator(); // by position: catalogs fold labels differently
            Object o = v.next();
            out.add(new Row(o == null ? null : o.toString(), RowValues.utcInstant(v.next()), RowValues.utcInstant(v.next()), RowValues.utcInstant(v.next())));
        }
        return out;
    }

    private void ensure(Session s) {
        if (s.relationKind(table).isPresent()) return;
        List<String> defs = new ArrayList<>();
        for (String c : COLUMNS) defs.add(adapter.quote(c) + " " + (c.endsWith("_at") ? adapter.timestampType() : adapter.stringType()));
        for (int attempt = 1; ; attempt++) {
            try {
                s.execute(adapter.createSchemaSql(table));
                s.execute(adapter.createTableColumnsSql(table, defs));
                return;
            } catch (DatabaseException e) {
                // Another scheduler creating it at the same moment: DuckDB reports a write-write conflict while that
                // creation may still be uncommitted, so the table can take a moment to appear.
                if (s.relationKind(table).isPresent()) return;
                if (attempt == 20) throw e;
                sleep(10L * attempt);
            }
        }
    }

    /** Frees the lock (only if still this holder's: an expired lock may have been taken over). */
    @Override
    public void close() {
        if (released) return;
        released = true;
        if (heartbeat != null) heartbeat.shutdownNow();
        try {
            withLockTable(this::free);
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot free its lock ({}); it expires by itself within {}s", job, JobOutcome.firstLine(e.getMessage()),
                    ttl.toSeconds());
        }
    }

    private void free(Session s) {
        s.execute("update " + adapter.render(table) + " set " + col("owner") + " = " + nulls(1) + ", " + col("acquired_at") + " = null, "
                + col("heartbeat_at") + " = null, " + col("expires_at") + " = null where " + col("job") + " = " + lit(job)
                + " and " + col("owner") + " = " + lit(owner));
    }

    private String cols() {
        return String.join(", ", COLUMNS.stream().map(adapter::quote).toList());
    }

    private String col(String c) {
        return adapter.quote(c);
    }

    private String nulls(int n) {
        List<String> out = new ArrayList<>();
        // Typed nulls: a bare null in a select list has no type on some warehouses (Spark's NullType).
        for (int i = 0; i < n; i++) out.add("cast(null as " + (i == 0 ? adapter.stringType() : adapter.timestampType()) + ")");
        return String.join(", ", out);
    }

    private String lit(String v) {
        return adapter.stringLiteral(v);
    }

    private static String at(Instant t) {
        return t == null ? "?" : CLOCK.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

}
