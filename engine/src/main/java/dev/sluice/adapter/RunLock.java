package dev.sluice.adapter;

import dev.sluice.error.RunLockedException;
import dev.sluice.project.Target;

import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One run at a time per target: a second build on the same warehouse location waits (up to a timeout) or
 * fails naming the holder, instead of the two dropping each other's temporary relations. Released by
 * {@link #close()}, and by the warehouse or the OS when the holding process dies, so a killed run never
 * leaves a lock behind.
 */
public interface RunLock extends AutoCloseable {
    DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    @Override
    void close();

    /**
     * Takes the lock of the target, waiting up to timeout for a holder to finish.
     *
     * @return empty where this kind of warehouse offers no lock (the caller warns)
     * @throws RunLockedException when another run holds it after the timeout
     */
    static Optional<RunLock> acquire(Adapter adapter, Target target, Duration timeout) {
        return switch (adapter.type()) {
            case "postgres", "postgresql" -> Optional.of(PostgresRunLock.acquire(adapter, target, timeout));
            case "duckdb" -> FileRunLock.forDuckDb(target, timeout);
            default -> Optional.empty();
        };
    }

    /** "pid 123, host build-7": who this process is, for the holder's description. */
    static String self() {
        return "pid " + ProcessHandle.current().pid() + ", host " + hostName();
    }

    static String now() {
        return LocalTime.now().format(CLOCK);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** @param subject null for the target's run lock, else what the lock guards ("job 'nightly'") */
    static RunLockedException held(Target target, String subject, String since, String who, Duration waited) {
        if (subject != null) return new RunLockedException(subject + " is already running since " + since + " (" + who + ")");
        return held(target, since, who, waited);
    }

    static RunLockedException held(Target target, String since, String who, Duration waited) {
        return new RunLockedException("another run holds the target '" + target.name() + "' since " + since + " ("
                + who + ")" + (waited.isZero() ? "; pass --lock-timeout SECONDS to wait for it"
                : "; waited " + waited.toSeconds() + "s"));
    }
}
