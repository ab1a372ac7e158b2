package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * An OS lock on a file beside a DuckDB database (warehouse.duckdb.lock). DuckDB itself lets only one process
 * open a file, but a second build would fail at its first query with DuckDB's own message; this lock makes it
 * wait or name the holder, whose "since HH:MM pid N host H" the file holds. The OS drops the lock when the
 * process dies; the stale text left in the file is only read while someone holds the lock.
 */
final class FileRunLock implements RunLock {
    /** How often a waiting run tries again: the OS offers no timed wait on a file lock. */
    private static final long RETRY_MILLIS = 200;
    private final FileChannel channel;
    private final FileLock lock;

    private FileRunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Optional<RunLock> forDuckDb(Target target, Duration timeout) {
        return forDuckDb(target, ".lock", null, timeout);
    }

    /**
     * @param suffix  appended to the database file's name: ".lock" for the run lock, another for a job's lock
     * @param subject what the lock guards, for the message when it is held; null for the run lock
     */
    static Optional<RunLock> forDuckDb(Target target, String suffix, String subject, Duration timeout) {
        Object p = target.settings().get("path");
        if (p == null || p.toString().equals(":memory:")) return Optional.empty(); // nothing shared to protect
        Path db = Path.of(p.toString()).toAbsolutePath();
        return Optional.of(acquire(target, db.resolveSibling(db.getFileName() + suffix), subject, timeout));
    }

    static FileRunLock acquire(Target target, Path file, Duration timeout) {
        return acquire(target, file, null, timeout);
    }

    static FileRunLock acquire(Target target, Path file, String subject, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                while (true) {
                    FileLock lock = tryLock(ch);
                    if (lock != null) {
                        String me = "since " + RunLock.now() + " (" + RunLock.self() + ")";
                        ch.truncate(0);
                        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
                        ch.force(false);
                        return new FileRunLock(ch, lock);
                    }
                    if (System.nanoTime() >= deadline) {
                        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                        String since = holder.startsWith("since ") ? holder.substring(6, holder.indexOf(' ', 6) < 0 ? holder.length() : holder.indexOf(' ', 6)) : "?";
                        String who = holder.contains("(") && holder.endsWith(")") ? holder.substring(holder.indexOf('(') + 1, holder.length() - 1) : "unknown process";
                        throw RunLock.held(target, subject, since, who, timeout);
                    }
                    Thread.sleep(RETRY_MILLIS);
                }
            } catch (RuntimeException | IOException | InterruptedException e) {
                ch.close();
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                throw e;
            }
        } catch (IOException e) {
            throw new ConfigException("cannot lock " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            throw new ConfigException("interrupted while waiting for the run lock " + file);
        }
    }

    /** Null while another process, or another run in this process, holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing useful to report.
        }
    }
}
