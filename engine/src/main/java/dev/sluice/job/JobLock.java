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
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run per job at a time, kept in the warehouse ({@code <target schema>.sluice_job_locks}) so schedulers on
 * different machines see the same lock, on every kind of warehouse. A lock is a row per job: owner, acquired_at,
 * heartbeat_at, expires_at. Taking it is one conditional update ("set owner = me where the row is free or
 * expired") followed by reading the row back: the warehouse runs concurrent updates of a row one after the other
 * (PostgreSQL row locks, Snowflake's table lock for DML, Delta's and DuckDB's write conflicts), so at most one
 * taker finds itself the owner. No unique key is needed (Snowflake and Databricks do not enforce one):
 * a taker owns the lock when every row of the job it reads back is its own, and when two first-ever takers
 * each added a row and claimed their own, both free theirs and try again after a random pause. (A duplicate
 * row committed after the winner read back stays unowned: whoever claims it later also sees the winner's row
 * and is refused.)
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
        try (Session s = adapter.open()) {
            ensure(s);
            String q = adapter.render(table);
            // The job's row, free; two first takers may both add one (no unique key everywhere): both get claimed below.
            s.execute("insert into " + q + " (" + cols() + ") select " + lit(job) + ", " + nulls(4)
                    + " where not exists (select 1 from " + q + " where " + col("job") + " = " + lit(job) + ")");
            freeDeadHoldersOnThisHost(s);
            for (int attempt = 1; ; attempt++) {
                Instant now = clock.instant();
                DatabaseException conflict = null;
                try {
                    String at = adapter.timestampLiteral(now);
                    s.execute("update " + q + " set " + col("owner") + " = " + lit(owner) + ", " + col("acquired_at") + " = " + at
                            + ", " + col("heartbeat_at") + " = " + at + ", " + col("expires_at") + " = " + adapter.timestampLiteral(now.plus(ttl))
                            + " where " + col("job") + " = " + lit(job) + " and (" + col("owner") + " is null or " + col("owner") + " = " + lit(owner)
                            + " or " + col("expires_at") + " is null or " + col("expires_at") + " < " + at + ")");
                } catch (DatabaseException e) {
                    conflict = e; // a concurrent taker's write won (DuckDB, Delta): the rows read below say who holds it
                }
                List<Row> rows = rows(s);
                if (!rows.isEmpty() && rows.stream().allMatch(r -> owner.equals(r.owner()))) return;
                boolean mine = rows.stream().anyMatch(r -> owner.equals(r.owner()));
                if (mine && attempt < 4) {
                    // Two first-ever takers each added a row and claimed it, not seeing the other's yet. Both step back
                    // and try again after a random pause: the rows now exist, so one update claims them all.
                    try {
                        free(s);
                    } catch (DatabaseException e) {
                        // A write conflict: the next update takes these rows back anyway (owner = me counts as free).
                    }
                    sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 200) * attempt);
                    continue;
                }
                if (mine) close();
                Row holder = rows.stream().filter(r -> r.owner() != null && !owner.equals(r.owner())).findFirst().orElse(null);
                if (holder == null && conflict != null && attempt < 4) {
                    // The write that beat ours is not committed yet, so no holder shows: look again shortly.
                    sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 200) * attempt);
                    continue;
                }
                if (holder == null) {
                    if (conflict != null) throw conflict;
                    throw new RunLockedException("job '" + job + "': its lock in " + q + " could not be taken; try again");
                }
                throw new RunLockedException("job '" + job + "' is already running since " + at(holder.acquiredAt()) + " ("
                        + holder.owner() + "; its lock in " + q + " expires at " + at(holder.expiresAt())
                        + " unless the holder renews it)");
            }
        }
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
        try (Session s = adapter.open()) {
            s.execute("update " + adapter.render(table) + " set " + col("heartbeat_at") + " = " + adapter.timestampLiteral(now) + ", "
                    + col("expires_at") + " = " + adapter.timestampLiteral(now.plus(ttl)) + " where " + col("job") + " = " + lit(job)
                    + " and " + col("owner") + " = " + lit(owner));
        }
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
        try {
            s.execute(adapter.createSchemaSql(table));
            s.execute(adapter.createTableColumnsSql(table, defs));
        } catch (DatabaseException e) {
            if (s.relationKind(table).isEmpty()) throw e; // else another scheduler created it at the same moment
        }
    }

    /** Frees the lock (only if still this holder's: an expired lock may have been taken over). */
    @Override
    public void close() {
        if (released) return;
        released = true;
        if (heartbeat != null) heartbeat.shutdownNow();
        try (Session s = adapter.open()) {
            free(s);
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
