package dev.sluice.cli;

import dev.sluice.error.RunLockedException;
import dev.sluice.job.JobLock;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A scheduler process of its own for {@link JobsTest}: opens the project, prints "ready", reads the start time
 * (epoch millis) and the slot length from stdin, then at the start of each slot lets its threads race for that
 * round's job, printing one tab-separated line per taker: "won", job, owner or "refused", job, message. Locks it
 * wins are never freed, so every taker of every process races for the same round's lock.
 * Arguments: project dir, job prefix, rounds, threads.
 */
public final class JobLockTakers {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int rounds = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<Workspace> spaces = new ArrayList<>();
        spaces.add(Workspace.open(Invocation.of("test", dir)));
        // A scheduler's own connection pool each, as on separate machines; DuckDB: one database instance per process.
        boolean duck = spaces.get(0).adapter().type().equals("duckdb");
        for (int i = 1; i < threads; i++) spaces.add(duck ? spaces.get(0) : Workspace.open(Invocation.of("test", dir)));
        System.out.println("ready");
        String[] when = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().split(" ");
        List<String> lines = race(spaces, prefix, rounds, Long.parseLong(when[0]), Long.parseLong(when[1]));
        lines.forEach(System.out::println);
        System.out.flush();
        for (Workspace ws : new java.util.LinkedHashSet<>(spaces)) ws.close();
    }

    /** Races the threads (one workspace each; the same one repeated on DuckDB) for job prefix-r in slot r. */
    static List<String> race(List<Workspace> spaces, String prefix, int rounds, long startMillis, long slotMillis) throws Exception {
        List<String> lines = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(spaces.size());
        try {
            for (int r = 0; r < rounds; r++) {
                String job = prefix + "-" + r;
                long at = startMillis + r * slotMillis;
                List<Future<String>> results = new ArrayList<>();
                for (Workspace ws : spaces) {
                    results.add(pool.submit(() -> {
                        long wait = at - System.currentTimeMillis();
                        if (wait > 0) Thread.sleep(wait);
                        try {
                            JobLock lock = JobLock.acquire(ws.adapter(), ws.target(), job, Clock.systemUTC(), JobLock.DEFAULT_TTL, false);
                            return "won\t" + job + "\t" + lock.owner();
                        } catch (RunLockedException e) {
                            return "refused\t" + job + "\t" + e.getMessage().replace('\n', ' ');
                        } catch (RuntimeException e) {
                            return "error\t" + job + "\t" + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
                        }
                    }));
                }
                for (Future<String> f : results) lines.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return lines;
    }
}
