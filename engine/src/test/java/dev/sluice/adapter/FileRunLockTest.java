package dev.sluice.adapter;

import dev.sluice.error.RunLockedException;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DuckDB run lock: a second run fails naming the holder, or waits for it with a timeout. */
class FileRunLockTest {
    @TempDir
    Path dir;

    private Target target() {
        return new Target("p", "dev", "duckdb", null, "main", 1,
                Map.of("path", dir.resolve("warehouse.duckdb").toString()), null);
    }

    @Test
    void secondRunFailsNamingTheHolderThenWaitsForIt() throws Exception {
        RunLock first = FileRunLock.forDuckDb(target(), Duration.ZERO).orElseThrow();
        RunLockedException e = assertThrows(RunLockedException.class, () -> FileRunLock.forDuckDb(target(), Duration.ZERO));
        assertTrue(e.getMessage().matches("another run holds the target 'dev' since \\d\\d:\\d\\d \\(pid "
                + ProcessHandle.current().pid() + ", host .+\\); pass --lock-timeout SECONDS to wait for it"), e.getMessage());

        CompletableFuture<RunLock> waiting = CompletableFuture.supplyAsync(
                () -> FileRunLock.forDuckDb(target(), Duration.ofSeconds(60)).orElseThrow());
        assertThrows(java.util.concurrent.TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));
        first.close();
        RunLock second = waiting.get(30, TimeUnit.SECONDS);
        second.close();
        assertEquals(java.util.Optional.empty(), FileRunLock.forDuckDb(
                new Target("p", "dev", "duckdb", null, "main", 1, Map.of("path", ":memory:"), null), Duration.ZERO));
    }
}
