package dev.sluice.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster of bin/spark-cluster (a standalone master, two workers, a Spark Connect server: four JVMs), run
 * by tests on free ports in a folder under target/, so a cluster a user started is left alone.
 */
final class SparkCluster implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "bin", "spark-cluster").toAbsolutePath().normalize();
    final Path dir;
    final int masterPort;
    final int connectPort;

    private SparkCluster(Path dir, int masterPort, int connectPort) {
        this.dir = dir;
        this.masterPort = masterPort;
        this.connectPort = connectPort;
    }

    /** Starts a fresh cluster: the resolved jars are kept between runs, the warehouse and the workers' folders not. */
    static SparkCluster start(String name) throws IOException, InterruptedException {
        Path dir = Path.of("target", name).toAbsolutePath();
        for (String old : List.of("warehouse", "logs", "pids", "worker-1", "worker-2")) deleteTree(dir.resolve(old));
        SparkCluster c = new SparkCluster(dir, freePort(), freePort());
        String out = c.script("start");
        if (!out.contains("Spark Connect on sc://")) throw new IllegalStateException("the cluster did not start:\n" + out);
        return c;
    }

    /** Runs bin/spark-cluster with this cluster's folder and ports; its output (both streams). */
    String script(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("SPARK_CLUSTER_DIR", dir.toString());
        env.put("SPARK_CLUSTER_MASTER_PORT", String.valueOf(masterPort));
        env.put("SPARK_CLUSTER_CONNECT_PORT", String.valueOf(connectPort));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        return out;
    }

    String url() {
        return "sc://127.0.0.1:" + connectPort;
    }

    long pid(String daemon) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("pids").resolve(daemon + ".pid")).strip());
    }

    /** A worker's executors' logs (stderr of each executor it ran), joined. */
    String executorLogs(int worker) throws IOException {
        Path w = dir.resolve("worker-" + worker);
        if (!Files.isDirectory(w)) return "";
        StringBuilder out = new StringBuilder();
        try (Stream<Path> s = Files.walk(w)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList()) {
                out.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** The machine dies: the worker's JVM and the executor JVMs it started end at once, without a goodbye. */
    void killWorker(int worker) throws IOException {
        ProcessHandle h = ProcessHandle.of(pid("worker-" + worker)).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.add(h);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) p.onExit().join();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
