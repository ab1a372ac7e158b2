package dev.sluice.serve;

import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobSpec;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The runs started by the server (from the browser or a schedule), one at a time in the order asked: each run
 * configures the process's logging for itself, and runs of one target would wait on its run lock anyway. Their
 * console output is kept line by line, so a page can stream it while the run goes on.
 */
public final class LiveRuns implements AutoCloseable {
    private static final int KEEP = 50;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-serve-runs");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, LiveRun> runs = new LinkedHashMap<>();
    private final Execution execute;

    /** Runs a job, writing its console output to out; force runs it even when its trigger finds no new data. */
    @FunctionalInterface
    public interface Execution {
        JobOutcome run(JobSpec job, boolean force, PrintStream out);
    }

    private final Runnable afterEach;

    /**
     * @param execute   runs a job, writing its console output to the stream
     * @param afterEach called after every run (restores the server's own logging)
     */
    public LiveRuns(Execution execute, Runnable afterEach) {
        this.execute = execute;
        this.afterEach = afterEach;
    }

    /** One run: its lines so far, and its outcome once done. */
    public static final class LiveRun {
        private final String id;
        private final String job;
        private final String by;
        private final Instant queuedAt;
        private final List<String> lines = new ArrayList<>();
        private String status = "queued";
        private JobOutcome outcome;

        LiveRun(String id, String job, String by) {
            this.id = id;
            this.job = job;
            this.by = by;
            this.queuedAt = Instant.now();
        }

        public String id() {
            return id;
        }

        public String job() {
            return job;
        }

        public String by() {
            return by;
        }

        public Instant queuedAt() {
            return queuedAt;
        }

        public synchronized String status() {
            return status;
        }

        public synchronized Optional<JobOutcome> outcome() {
            return Optional.ofNullable(outcome);
        }

        public synchronized boolean done() {
            return outcome != null || status.equals("error");
        }

        /** Lines from index from on; waits up to millis for one when there is none yet and the run goes on. */
        public synchronized List<String> linesFrom(int from, long millis) throws InterruptedException {
            if (from >= lines.size() && !done() && millis > 0) wait(millis);
            return from >= lines.size() ? List.of() : List.copyOf(lines.subList(from, lines.size()));
        }

        synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        synchronized void status(String s) {
            status = s;
            notifyAll();
        }

        synchronized void finish(JobOutcome o) {
            outcome = o;
            status = o.status();
            notifyAll();
        }
    }

    /**
     * Queues a run of the job; returns at once.
     *
     * @param force true when a person asked (the trigger does not hold it back), false for a schedule
     */
    public LiveRun submit(JobSpec job, String by, boolean force) {
        LiveRun run = new LiveRun(UUID.randomUUID().toString(), job.name(), by);
        synchronized (runs) {
            runs.put(run.id(), run);
            while (runs.size() > KEEP) runs.remove(runs.keySet().iterator().next());
        }
        worker.submit(() -> runNow(job, run, force));
        return run;
    }

    private void runNow(JobSpec job, LiveRun run, boolean force) {
        run.status("running");
        try (PrintStream out = new PrintStream(new LineSink(run), true, StandardCharsets.UTF_8)) {
            run.finish(execute.run(job, force, out));
        } catch (RuntimeException e) {
            String message = e instanceof dev.sluice.error.EngineException ee ? ee.userMessage() : String.valueOf(e.getMessage());
            run.add(message);
            run.status("error");
        } finally {
            afterEach.run();
        }
    }

    public Optional<LiveRun> get(String id) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(id));
        }
    }

    /** The kept runs, newest first. */
    public List<LiveRun> recent() {
        List<LiveRun> out;
        synchronized (runs) {
            out = new ArrayList<>(runs.values());
        }
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** Splits what a run prints into lines. */
    private static final class LineSink extends OutputStream {
        private final LiveRun run;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(LiveRun run) {
            this.run = run;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                run.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (b != '\r') {
                line.write(b);
            }
        }

        @Override
        public synchronized void close() {
            if (line.size() > 0) run.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
