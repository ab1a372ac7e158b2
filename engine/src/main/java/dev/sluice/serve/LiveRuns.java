package dev.sluice.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /**
     * Given to the commands the server runs: dbt's JSON events on the console, one a line, so each line that
     * belongs to a node (its start, its result) can be told apart; the page shows their text.
     */
    public static final List<String> EVENT_ARGS = List.of("--log-format", "json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node of a run as its events told: status (running, then the result's), times, and its log lines. */
    public static final class NodeRun {
        private final String id;
        private String name;
        private String type = "";
        private String status = "running";
        private String startedAt = "";
        private String finishedAt = "";
        private Double seconds;
        private String message = "";
        private String reason = "";
        private final List<String> lines = new ArrayList<>();

        NodeRun(String id) {
            this.id = id;
            // The unique id's name part (model.shop.orders): a test's node_name is only the hash that ends its id.
            String[] parts = id.split("\\.");
            this.name = parts.length >= 3 ? parts[2] : "";
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unique_id", id);
            m.put("name", name);
            m.put("resource_type", type);
            m.put("status", status);
            m.put("started_at", startedAt);
            m.put("finished_at", finishedAt);
            m.put("execution_time", seconds);
            m.put("message", message);
            m.put("reason", reason);
            m.put("lines", List.copyOf(lines));
            return m;
        }
    }

    /** One run: its lines so far, its nodes, and its outcome once done. */
    public static final class LiveRun {
        private final String id;
        private final String job;
        private final String by;
        private final Instant queuedAt;
        private final List<String> lines = new ArrayList<>();
        private final Map<String, NodeRun> nodes = new LinkedHashMap<>();
        private int nodesVersion;
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

        /** The nodes seen so far, in the order they started, and a number that grows with every change. */
        public synchronized List<Map<String, Object>> nodes() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (NodeRun n : nodes.values()) out.add(n.json());
            return out;
        }

        public synchronized int nodesVersion() {
            return nodesVersion;
        }

        /** A console line: a JSON event (its text is kept; one with node_info also goes to that node) or plain text. */
        synchronized void add(String raw) {
            String text = raw;
            if (raw.startsWith("{")) {
                try {
                    JsonNode e = JSON.readTree(raw);
                    if (e.path("info").has("msg")) {
                        text = e.path("info").path("msg").asText("");
                        node(e.path("data"), text);
                    }
                } catch (java.io.IOException notAnEvent) {
                    // A line that only looks like JSON: shown as it is.
                }
            }
            lines.add(text);
            notifyAll();
        }

        private void node(JsonNode data, String text) {
            JsonNode info = data.path("node_info");
            String uid = info.path("unique_id").asText("");
            if (uid.isEmpty()) return;
            NodeRun n = nodes.computeIfAbsent(uid, NodeRun::new);
            if (n.name.isEmpty()) n.name = info.path("node_name").asText("");
            n.type = info.path("resource_type").asText(n.type);
            String st = info.path("node_status").asText("");
            if (!st.isEmpty()) n.status = st.equals("started") ? "running" : st;
            if (!info.path("node_started_at").asText("").isEmpty()) n.startedAt = info.path("node_started_at").asText();
            if (!info.path("node_finished_at").asText("").isEmpty()) n.finishedAt = info.path("node_finished_at").asText();
            if (data.has("reason")) n.reason = data.path("reason").asText(); // skipped because "unchanged"
            if (data.has("execution_time")) n.seconds = data.path("execution_time").asDouble();
            n.lines.add(text);
            nodesVersion++;
        }

        synchronized void status(String s) {
            status = s;
            notifyAll();
        }

        synchronized void finish(JobOutcome o) {
            // The summary's error lines carry no node: the outcome's failures give each failed node its message.
            for (JobOutcome.NodeProblem p : o.failures()) {
                NodeRun n = nodes.computeIfAbsent(p.uniqueId(), NodeRun::new);
                n.message = p.message();
                if (n.status.equals("running")) n.status = p.status();
                p.message().lines().forEach(l -> n.lines.add("  " + l));
                nodesVersion++;
            }
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
