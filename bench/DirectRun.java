import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Baseline for the overhead benchmarks: runs the compiled SQL of the models the engine just ran (from
 * target/run_results.json and target/manifest.json), in dependency order, over plain JDBC with CREATE OR
 * REPLACE statements: no templating, no parsing, no temporary names, no tests, no artifacts.
 * With more than one thread, a model starts as soon as the models it reads are done, each thread on its own
 * connection, as the engine does.
 * Usage: java -cp engine-cli.jar:bench DirectRun <target dir> <duckdb file> [threads] [passes]
 * Prints "direct: N models in S s" (time from the first statement to the last) for each pass; a second pass
 * replaces what the first created, as an engine re-run does, so each side's re-run is compared with its like.
 */
public class DirectRun {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(new File(args[0], "manifest.json"));
        JsonNode results = json.readTree(new File(args[0], "run_results.json"));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Set<String> ran = new HashSet<>();
        for (JsonNode r : results.get("results")) if (r.get("unique_id").asText().startsWith("model.")) ran.add(r.get("unique_id").asText());
        Map<String, List<String>> parents = new HashMap<>();
        for (String id : ran) {
            List<String> p = new ArrayList<>();
            for (JsonNode d : manifest.get("nodes").get(id).get("depends_on").get("nodes")) if (ran.contains(d.asText())) p.add(d.asText());
            parents.put(id, p);
        }
        Connection root = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + args[1], new Properties());
        LinkedBlockingQueue<Connection> pool = new LinkedBlockingQueue<>();
        List<Connection> opened = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Connection c = ((org.duckdb.DuckDBConnection) root).duplicate();
            opened.add(c);
            pool.add(c);
        }
        Set<String> schemas = new HashSet<>();
        for (String id : ran) schemas.add(manifest.get("nodes").get(id).get("schema").asText());
        try (Statement st = root.createStatement()) {
            for (String s : schemas) st.execute("create schema if not exists \"" + s + "\"");
        }
        ExecutorService exec = Executors.newFixedThreadPool(threads);
        List<String> order = topological(parents);
        for (int pass = 0; pass < passes; pass++) {
            double seconds = pass(manifest, parents, order, pool, exec);
            System.out.printf("direct: %d models in %.3f s%n", ran.size(), seconds);
        }
        exec.shutdown();
        for (Connection c : opened) c.close();
        root.close();
    }

    /** Runs every model once, each as soon as the models it reads are done; the seconds from first to last. */
    private static double pass(JsonNode manifest, Map<String, List<String>> parents, List<String> order,
                               LinkedBlockingQueue<Connection> pool, ExecutorService exec) {
        Map<String, CompletableFuture<Void>> done = new HashMap<>();
        long start = System.nanoTime();
        for (String id : order) {
            JsonNode n = manifest.get("nodes").get(id);
            String kind = n.get("config").path("materialized").asText("view").equals("view") ? "view" : "table";
            String sql = "create or replace " + kind + " " + n.get("relation_name").asText() + " as (" + n.get("compiled_code").asText() + ")";
            CompletableFuture<?>[] before = parents.get(id).stream().map(done::get).toArray(CompletableFuture[]::new);
            done.put(id, CompletableFuture.allOf(before).thenRunAsync(() -> {
                try {
                    Connection c = pool.take();
                    try (Statement st = c.createStatement()) {
                        st.execute(sql);
                    } finally {
                        pool.add(c);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new RuntimeException(id + ": " + e.getMessage(), e);
                }
            }, exec));
        }
        CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new)).join();
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<String> topological(Map<String, List<String>> parents) {
        List<String> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : new java.util.TreeSet<>(parents.keySet())) visit(id, parents, seen, order);
        return order;
    }

    private static void visit(String id, Map<String, List<String>> parents, Set<String> seen, List<String> order) {
        if (!seen.add(id)) return;
        for (String p : parents.get(id)) visit(p, parents, seen, order);
        order.add(id);
    }
}
