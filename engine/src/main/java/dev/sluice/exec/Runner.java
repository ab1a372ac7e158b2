package dev.sluice.exec;

import dev.sluice.adapter.Session;
import dev.sluice.error.EngineException;
import dev.sluice.graph.Dag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs jobs in dependency order on N threads. A node starts when all its parents finished; when one errors
 * or fails, everything downstream of it is skipped while independent branches go on.
 */
public final class Runner {
    private final Supplier<Session> sessions;
    private final int threads;
    private final Progress progress;
    private final boolean failFast;
    /** The previous run's seconds per node (empty when unknown): which ready node to start first. */
    private final Map<String, Double> previousSeconds;
    /** Nodes executing now, by description; what an interrupt reports as cut short. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Session> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean interrupted;

    public Runner(Supplier<Session> sessions, int threads, Progress progress) {
        this(sessions, threads, progress, false);
    }

    /**
     * @param sessions opens a session for each worker thread
     * @param failFast after the first error or failure, start nothing more (what is running finishes)
     */
    public Runner(Supplier<Session> sessions, int threads, Progress progress, boolean failFast) {
        this(sessions, threads, progress, failFast, Map.of());
    }

    /**
     * @param previousSeconds how long nodes took in the previous run, by unique id (may be empty or partial): the
     *                        ready node with the longest chain of timed work after it starts first
     */
    public Runner(Supplier<Session> sessions, int threads, Progress progress, boolean failFast,
                  Map<String, Double> previousSeconds) {
        this.sessions = sessions;
        this.threads = Math.max(1, threads);
        this.progress = progress;
        this.failFast = failFast;
        this.previousSeconds = Map.copyOf(previousSeconds);
    }

    /** @param dag graph over exactly the jobs' ids */
    public List<NodeResult> run(Dag dag, Map<String, NodeJob> jobs) {
        BlockingQueue<Session> sessions = new ArrayBlockingQueue<>(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sluice-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < threads; i++) {
                Session s = this.sessions.get();
                opened.add(s);
                sessions.add(s);
            }
            // An adapter's warning on opening them that --warn-error makes an error stops the run before any node.
            progress.log().raiseDeferred();
            return new Schedule(dag, jobs, pool, sessions).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("run interrupted");
        } finally {
            pool.shutdownNow();
            opened.forEach(Session::close);
        }
    }

    /**
     * Which nodes wait, are ready, run and are done. A worker that finishes a node records it and starts what became
     * ready itself, under this object's lock: handing every result to the main thread and back cost two thread
     * wake-ups per node on the critical path (on 1,000 trivial views the engine's node phase was 1.6x DirectRun's,
     * whose pool thread queues the next statement itself). The main thread starts the first nodes and waits.
     */
    private final class Schedule {
        private final Dag dag;
        private final Map<String, NodeJob> jobs;
        private final ExecutorService pool;
        private final BlockingQueue<Session> sessions;
        private final int total;
        /** In the order they finished (run_results.json's order). */
        private final Map<String, NodeResult> results = new LinkedHashMap<>();
        private final Map<String, Integer> waiting = new HashMap<>();
        private final Map<String, String> blockedBy = new HashMap<>();
        private final java.util.Queue<String> ready;
        private int counter;
        /** Nodes handed to a thread and not finished. */
        private int busy;
        private String stoppedBy;
        /** What a node's thread threw instead of returning a result (an internal error). */
        private Throwable failure;
        /** What recording a result or starting the next nodes threw on a worker thread. */
        private Throwable scheduling;

        Schedule(Dag dag, Map<String, NodeJob> jobs, ExecutorService pool, BlockingQueue<Session> sessions) {
            this.dag = dag;
            this.jobs = jobs;
            this.pool = pool;
            this.sessions = sessions;
            this.total = jobs.size();
            this.ready = readyQueue(dag, jobs, previousSeconds);
            for (String id : dag.nodes()) waiting.put(id, dag.parents(id).size());
        }

        /** Starts the nodes without parents and waits until nothing runs any more. */
        synchronized List<NodeResult> run() throws InterruptedException {
            for (String id : dag.nodes()) if (waiting.get(id) == 0) ready.add(id);
            startReady();
            while (failure == null && scheduling == null && busy > 0) wait();
            if (scheduling instanceof RuntimeException e) throw e;
            if (scheduling instanceof Error e) throw e;
            if (failure != null) throw new EngineException("internal error: " + failure, null, failure);
            if (results.size() < total && !interrupted) {
                // Nodes still waiting with nothing running: their dependencies form a cycle. Never end such a run as
                // if it were complete.
                List<String> stuck = new ArrayList<>();
                for (String id : jobs.keySet()) if (!results.containsKey(id)) stuck.add(id);
                throw new EngineException("internal error: " + stuck.size() + " node(s) never became ready "
                        + "(a dependency cycle among them): " + String.join(", ", stuck.subList(0, Math.min(5, stuck.size()))));
            }
            return new ArrayList<>(results.values());
        }

        /** Hands ready nodes to threads while one is free, so the order of the ready queue decides. */
        private void startReady() {
            while (!ready.isEmpty() && busy < threads && !interrupted && failure == null && scheduling == null) {
                String id = ready.poll();
                NodeJob job = jobs.get(id);
                if (failFast && stoppedBy != null) blockedBy.put(id, stoppedBy + " (--fail-fast)");
                if (blockedBy.containsKey(id)) {
                    NodeResult r = NodeResult.skipped(id, "skipped because " + blockedBy.get(id) + " did not succeed");
                    results.put(id, r);
                    progress.nodeFinished(job, r, ++counter, total, "SKIP " + job.describe(), "SKIP");
                    ready.addAll(release(dag, id, r, waiting, blockedBy, jobs));
                    continue;
                }
                int index = ++counter;
                busy++;
                try {
                    pool.execute(() -> work(job, index));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // The run has ended (an internal error on another thread, the main thread interrupted): the
                    // pool is shut down and nothing more starts.
                    busy--;
                    return;
                }
            }
        }

        /** On a worker thread: runs one node, then records it and starts what became ready. */
        private void work(NodeJob job, int index) {
            NodeResult r = null;
            Throwable thrown = null;
            try {
                r = runOne(job, index, total, sessions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thrown = e;
            } catch (RuntimeException | Error e) {
                thrown = e;
            }
            done(r, thrown);
        }

        /** A node's result (or what its thread threw instead), then the nodes that became ready. */
        private synchronized void done(NodeResult r, Throwable thrown) {
            busy--;
            try {
                if (thrown != null) {
                    if (failure == null) failure = thrown;
                    return;
                }
                results.put(r.uniqueId(), r);
                if (stoppedBy == null && (r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL)) {
                    stoppedBy = jobs.get(r.uniqueId()).describe();
                }
                ready.addAll(release(dag, r.uniqueId(), r, waiting, blockedBy, jobs));
                startReady();
            } catch (RuntimeException | Error e) {
                // Thrown by the scheduling itself (reporting a skipped node): the main thread rethrows it as it is.
                if (scheduling == null) scheduling = e;
            } finally {
                if (busy == 0 || failure != null || scheduling != null) notifyAll();
            }
        }
    }

    /**
     * Stops the run from another thread (Ctrl-C): no node starts any more, and every statement running now is
     * cancelled, so the warehouse rolls it back; a failed build never replaces the previous table.
     *
     * @return the nodes that were running
     */
    public List<String> interrupt() {
        interrupted = true;
        List<String> cut = new ArrayList<>(running);
        for (Session s : opened) s.cancel();
        return cut;
    }

    /** Waits until the nodes that were running have unwound (dropped their temporary relations), at most timeout. */
    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20); // shutdown path only: no event to wait on across the workers' sessions
        }
        return true;
    }

    /**
     * Ready nodes, those with the longest chain of nodes still to run after them first (tests do not count: they are
     * mostly short), then in topological order. A plain topological queue ran the retail build's quick tests of the
     * raw tables ahead of the silver models every later node waits for, and left the second thread idle while one
     * long node ran alone at the end (bench/README.md: 8-9% of a loaded build's wall time, simulated from its
     * node times). Only the order among nodes whose parents have finished changes.
     * <p>
     * With the previous run's timings the chain is measured in seconds instead (the node's own time plus the longest
     * timed chain after it, tests included), the count of nodes breaking ties: by count, the retail build started two
     * short models off its critical path before the churn features and churn_model, which then waited for a thread
     * (bench/README.md). A node the previous run did not time counts as the mean of those it did of its kind (test
     * or not), so a new node neither jumps the queue nor sinks to its end.
     */
    static java.util.Queue<String> readyQueue(Dag dag, Map<String, NodeJob> jobs, Map<String, Double> previousSeconds) {
        List<String> order = dag.topologicalOrder();
        Map<String, Integer> position = new HashMap<>();
        Map<String, Integer> after = new HashMap<>();
        Map<String, Double> timed = new HashMap<>();
        double[] means = meanSeconds(order, jobs, previousSeconds);
        boolean useTimes = !Double.isNaN(means[0]); // tests' timings alone do not rank the models
        for (int i = order.size() - 1; i >= 0; i--) {
            String id = order.get(i);
            position.put(id, i);
            int longest = 0;
            double longestTimed = 0;
            for (String child : dag.children(id)) {
                longest = Math.max(longest, after.getOrDefault(child, 0) + (isTest(jobs.get(child)) ? 0 : 1));
                longestTimed = Math.max(longestTimed, timed.getOrDefault(child, 0.0));
            }
            after.put(id, longest);
            if (useTimes) timed.put(id, seconds(id, jobs.get(id), previousSeconds, means) + longestTimed);
        }
        // Whole milliseconds: sums of the same timings in another order must not reorder nodes by a rounding.
        return new java.util.PriorityQueue<>(java.util.Comparator
                .<String>comparingLong(id -> -Math.round(1000 * timed.getOrDefault(id, 0.0)))
                .thenComparingInt(id -> -after.getOrDefault(id, 0))
                .thenComparingInt(id -> position.getOrDefault(id, Integer.MAX_VALUE)));
    }

    private static boolean isTest(NodeJob job) {
        return job != null && job.kind().endsWith("test");
    }

    /** Mean previous seconds of the timed nodes of this run that are not tests [0] and that are tests [1]; NaN for none. */
    private static double[] meanSeconds(List<String> ids, Map<String, NodeJob> jobs, Map<String, Double> previousSeconds) {
        double[] sum = new double[2];
        int[] count = new int[2];
        if (!previousSeconds.isEmpty()) {
            for (String id : ids) {
                Double s = previousSeconds.get(id);
                if (s == null) continue;
                int k = isTest(jobs.get(id)) ? 1 : 0;
                sum[k] += s;
                count[k]++;
            }
        }
        return new double[] {count[0] == 0 ? Double.NaN : sum[0] / count[0], count[1] == 0 ? Double.NaN : sum[1] / count[1]};
    }

    private static double seconds(String id, NodeJob job, Map<String, Double> previousSeconds, double[] means) {
        Double s = previousSeconds.get(id);
        if (s != null) return s;
        double mean = means[isTest(job) ? 1 : 0];
        return Double.isNaN(mean) ? 0 : mean;
    }

    /** Marks a node finished and returns the children that became ready. */
    private static List<String> release(Dag dag, String id, NodeResult r, Map<String, Integer> waiting,
                                        Map<String, String> blockedBy, Map<String, NodeJob> jobs) {
        List<String> ready = new ArrayList<>();
        for (String child : dag.children(id)) {
            if (r.status().blocksDownstream()) {
                String cause = r.status() == NodeStatus.SKIPPED && blockedBy.containsKey(id) ? blockedBy.get(id) : jobs.get(id).describe();
                blockedBy.putIfAbsent(child, cause);
            }
            if (waiting.merge(child, -1, Integer::sum) == 0) ready.add(child);
        }
        return ready;
    }

    private NodeResult runOne(NodeJob job, int index, int total, BlockingQueue<Session> sessions) throws InterruptedException {
        Session s = sessions.take();
        Instant start = Instant.now();
        NodeResult r;
        running.add(job.describe());
        try {
            if (interrupted) throw new EngineException("interrupted before it started");
            r = job.unchanged(s);
            if (r == null) {
                progress.nodeStart(job, index, total, start);
                r = job.execute(s);
            }
        } catch (EngineException e) {
            r = new NodeResult(job.uniqueId(), NodeStatus.ERROR, "ERROR", start, Instant.now(), null,
                    e.userMessage(), Map.of());
        } catch (RuntimeException e) {
            r = new NodeResult(job.uniqueId(), NodeStatus.ERROR, "ERROR", start, Instant.now(), null,
                    "Internal error: " + e, Map.of());
        } finally {
            running.remove(job.describe());
            sessions.put(s);
        }
        if (r.status() == NodeStatus.WARN && progress.log().isError("TestWarning")) {
            // --warn-error: a test with severity warn fails like one with severity error.
            r = new NodeResult(r.uniqueId(), NodeStatus.FAIL, r.message(), r.startedAt(), r.completedAt(), r.failures(),
                    r.error() == null ? "warning treated as error (--warn-error)" : r.error(), r.adapterResponse());
        }
        String secs = Progress.seconds(r.seconds());
        switch (r.status()) {
            case SUCCESS -> progress.nodeFinished(job, r, index, total, "OK " + doneVerb(job) + " " + job.describe(), r.message() + " in " + secs);
            case PASS -> progress.nodeFinished(job, r, index, total, "PASS " + testName(job), "PASS in " + secs);
            case WARN -> progress.nodeFinished(job, r, index, total, "WARN " + r.failures() + " " + testName(job), "WARN " + r.failures() + " in " + secs);
            case FAIL -> progress.nodeFinished(job, r, index, total, "FAIL " + r.failures() + " " + testName(job), "FAIL " + r.failures() + " in " + secs);
            case ERROR -> progress.nodeFinished(job, r, index, total, "ERROR " + errorVerb(job) + " " + job.describe(), "ERROR in " + secs);
            case SKIPPED -> progress.nodeFinished(job, r, index, total, "SKIP " + job.describe(), "SKIP");
            case UNCHANGED -> progress.nodeFinished(job, r, index, total, "SKIP (unchanged) " + job.describe(), "SKIP");
            case PARTIAL_SUCCESS -> progress.nodeFinished(job, r, index, total, "PARTIAL SUCCESS " + job.describe(),
                    r.message() + " in " + secs);
        }
        for (String w : job.unwrapped().warnings()) progress.warn("NodeWarning", w);
        return r;
    }

    /** dbt prints test outcomes with the bare test name: "PASS not_null_orders_id". */
    private static String testName(NodeJob job) {
        return job.describe().replaceFirst("^test ", "");
    }

    private static String doneVerb(NodeJob job) {
        return job.kind().equals("seed") ? "loaded" : job.kind().equals("snapshot") ? "snapshotted" : "created";
    }

    private static String errorVerb(NodeJob job) {
        return job.kind().equals("seed") ? "loading" : job.kind().equals("data test") ? "" : "creating";
    }
}
