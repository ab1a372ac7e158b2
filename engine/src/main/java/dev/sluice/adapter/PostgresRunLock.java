package dev.sluice.adapter;

import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session-level advisory lock on a key derived from the target's database and schema, held on a connection
 * of its own for the whole run. The server releases it when that connection ends, killed process included.
 * The connection's application_name says who holds it, so a waiting run can name the holder.
 */
final class PostgresRunLock implements RunLock {
    private static final Pattern ME = Pattern.compile("sluice run since=(\\S+) pid=(\\d+) host=(.*)");
    private final Session session;

    private PostgresRunLock(Session session) {
        this.session = session;
    }

    static PostgresRunLock acquire(Adapter adapter, Target target, Duration timeout) {
        return acquire(adapter, target, "", null, timeout);
    }

    /**
     * @param scope   "" for the target's run lock; another text gives another lock on the same target (a job's)
     * @param subject what the lock guards, for the message when it is held; null for the run lock
     */
    static PostgresRunLock acquire(Adapter adapter, Target target, String scope, String subject, Duration timeout) {
        long key = key(target, scope);
        Session s = adapter.open();
        try {
            String me = "sluice run since=" + RunLock.now() + " pid=" + ProcessHandle.current().pid() + " host=" + RunLock.hostName();
            // application_name is cut at 63 bytes by the server; the host comes last so only it is shortened.
            s.execute("set application_name = '" + truncate(me, 63).replace("'", "''") + "'");
            if (tryLock(s, key, timeout)) return new PostgresRunLock(s);
            throw RunLock.held(target, subject, holderSince(s, key), holder(s, key), timeout);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static boolean tryLock(Session s, long key, Duration timeout) {
        if (timeout.isZero()) {
            return Boolean.TRUE.equals(first(s.query("select pg_try_advisory_lock(" + key + ") as ok")));
        }
        // The server waits for us: no polling, and the lock is granted the moment the holder ends.
        s.execute("set lock_timeout = '" + timeout.toMillis() + "ms'");
        try {
            s.query("select pg_advisory_lock(" + key + ") as ok");
            return true;
        } catch (DatabaseException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && "55P03".equals(sql.getSQLState())) return false;
            if (String.valueOf(e.getMessage()).contains("lock timeout")) return false;
            throw e;
        } finally {
            s.execute("set lock_timeout = 0");
        }
    }

    private static List<Map<String, Object>> holderRows(Session s, long key) {
        // A bigint advisory key shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
        return s.query("select a.application_name, a.backend_start, a.pid, a.client_addr from pg_locks l "
                + "join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted "
                + "and l.classid = '" + (key >>> 32) + "'::oid and l.objid = '" + (key & 0xffffffffL) + "'::oid "
                + "and l.objsubid = 1");
    }

    private static String holderSince(Session s, long key) {
        List<Map<String, Object>> rows = holderRows(s, key);
        if (rows.isEmpty()) return "a moment ago";
        Matcher m = ME.matcher(String.valueOf(rows.get(0).get("application_name")));
        if (m.matches()) return m.group(1);
        Object start = rows.get(0).get("backend_start");
        if (start instanceof java.sql.Timestamp t) return t.toLocalDateTime().format(RunLock.CLOCK);
        if (start instanceof OffsetDateTime t) return t.atZoneSameInstant(ZoneId.systemDefault()).format(RunLock.CLOCK);
        return String.valueOf(start);
    }

    private static String holder(Session s, long key) {
        List<Map<String, Object>> rows = holderRows(s, key);
        if (rows.isEmpty()) return "it has just finished or is starting";
        Map<String, Object> r = rows.get(0);
        Matcher m = ME.matcher(String.valueOf(r.get("application_name")));
        if (m.matches()) return "pid " + m.group(2) + ", host " + m.group(3);
        return "server pid " + r.get("pid") + ", client " + r.get("client_addr") + ", " + r.get("application_name");
    }

    /** 64 bits of SHA-256 of the target's location: the same database and schema share one lock. */
    static long key(Target target, String scope) {
        String location = "sluice-run-lock\u0000" + target.setting("host") + "\u0000" + target.database() + "\u0000" + target.schema()
                + (scope.isEmpty() ? "" : "\u0000" + scope);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) k = (k << 8) | (d[i] & 0xff);
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object first(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= maxBytes ? s : new String(b, 0, maxBytes, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "");
    }

    @Override
    public void close() {
        // Unlock before closing: the server ends a closed connection's backend (and frees its locks) only after
        // the client has gone on, so a next run started at once could still find the lock held.
        try {
            session.query("select pg_advisory_unlock_all() as ok");
        } catch (RuntimeException e) {
            // the connection is gone: the server frees its locks with it
        } finally {
            session.close();
        }
    }
}
