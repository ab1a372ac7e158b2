package dev.sluice.adapter;

import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DuckDB's driver shares one database instance among a process's connections to a file, so two adapters of the
 * same file share its in-process sections (JobLock's takers update the lock table one at a time: DuckDB 1.4.4 can
 * fail fatally on concurrent updates of one table); other sections and other files do not wait for each other.
 */
class DuckDbInProcessSectionTest {
    @TempDir
    Path dir;

    private static DuckDbAdapter adapter(Path file) {
        return new DuckDbAdapter(new Target("p", "dev", "duckdb", null, "main", 1, Map.of("type", "duckdb", "path", file.toString()), null));
    }

    /** The most callers seen inside their sections at once, 8 callers spread over the given adapters and sections. */
    private static int mostAtOnce(List<DuckDbAdapter> adapters, List<String> sections) throws Exception {
        int callers = 8;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                DuckDbAdapter a = adapters.get(i % adapters.size());
                String section = sections.get(i % sections.size());
                done.add(pool.submit(() -> {
                    start.await();
                    int rounds = 0;
                    for (; rounds < 20; rounds++) {
                        a.inProcessSection(section, () -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return inside.decrementAndGet();
                        });
                    }
                    return rounds;
                }));
            }
            for (Future<Integer> f : done) assertEquals(20, f.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        return most.get();
    }

    @Test
    void twoAdaptersOfOneFileTakeASectionOneAtATime() throws Exception {
        try (DuckDbAdapter a = adapter(dir.resolve("w.duckdb")); DuckDbAdapter b = adapter(dir.resolve("./w.duckdb"))) {
            assertEquals(1, mostAtOnce(List.of(a, b), List.of("sluice_job_locks")));
        }
    }

    @Test
    void otherSectionsAndOtherFilesDoNotWait() throws Exception {
        try (DuckDbAdapter a = adapter(dir.resolve("w.duckdb")); DuckDbAdapter b = adapter(dir.resolve("v.duckdb"))) {
            assertEquals(2, Math.min(2, mostAtOnce(List.of(a, b), List.of("one"))), "two files");
            assertEquals(2, Math.min(2, mostAtOnce(List.of(a), List.of("one", "two"))), "two sections");
        }
    }
}
