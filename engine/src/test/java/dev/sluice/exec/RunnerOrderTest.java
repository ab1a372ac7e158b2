package dev.sluice.exec;

import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Session;
import dev.sluice.graph.Dag;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunnerOrderTest {
    @TempDir
    Path dir;

    /** A node that only records that it ran. */
    private record Recording(String uniqueId, String kind, List<String> ran) implements NodeJob {
        @Override
        public String describe() {
            return kind + " " + uniqueId;
        }

        @Override
        public NodeResult execute(Session session) {
            ran.add(uniqueId);
            Instant now = Instant.now();
            return new NodeResult(uniqueId, kind.endsWith("test") ? NodeStatus.PASS : NodeStatus.SUCCESS, "OK", now, now,
                    kind.endsWith("test") ? 0L : null, null, Map.of());
        }
    }

    /**
     * Of the nodes ready at once, the one with the longest chain of nodes after it runs first (tests on the way do
     * not count); equal chains keep topological order. Parents still always run before their children.
     */
    @Test
    void longestRemainingChainRunsFirst() {
        // quick_test and leaf come first in topological order, but a -> test_a -> b -> c is the chain to start.
        Dag dag = new Dag();
        dag.addNode("quick_test");
        dag.addNode("leaf");
        dag.addEdge("a", "test_a");
        dag.addEdge("test_a", "b");
        dag.addEdge("b", "c");
        dag.addEdge("leaf2_parent", "leaf2");
        List<String> ran = runOrder(dag, Map.of());
        // Chains after each node: a 2 (b, c; test_a does not count), test_a 2, b 1, leaf2_parent 1, the rest 0.
        // Equal chains go in topological order: quick_test, leaf, a, leaf2_parent, test_a, leaf2, b, c.
        assertEquals(List.of("a", "test_a", "leaf2_parent", "b", "quick_test", "leaf", "leaf2", "c"), ran);
    }

    /** The order in which one thread ran the dag's nodes, given the previous run's seconds (empty: none). */
    private List<String> runOrder(Dag dag, Map<String, Double> previousSeconds) {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Map<String, NodeJob> jobs = new LinkedHashMap<>();
        for (String id : dag.nodes()) jobs.put(id, new Recording(id, id.contains("test") ? "data test" : "table model", ran));
        Target target = new Target("p", "dev", "duckdb", null, "main", 1,
                Map.of("type", "duckdb", "path", dir.resolve("order.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
            List<NodeResult> results = new Runner(adapter::open, 1, quiet, false, previousSeconds).run(dag, jobs);
            assertEquals(dag.nodes().size(), results.size());
        }
        return List.copyOf(ran);
    }

    /**
     * The retail build's tail in small: after their common parent, short_a -> short_b -> short_c is the longer chain
     * by count, but features -> test_features -> model is the longer in the previous run's seconds, so with those
     * timings it starts first; without them the count decides, as before.
     */
    @Test
    void withPreviousTimingsTheLongestTimedChainRunsFirst() {
        Dag dag = new Dag();
        dag.addEdge("fct", "short_a");
        dag.addEdge("short_a", "short_b");
        dag.addEdge("short_b", "short_c");
        dag.addEdge("fct", "features");
        dag.addEdge("features", "test_features");
        dag.addEdge("test_features", "model");
        Map<String, Double> seconds = Map.of("fct", 5.6, "short_a", 2.3, "short_b", 0.1, "short_c", 0.1,
                "features", 1.4, "test_features", 0.1, "model", 7.4);
        // By seconds after fct: features 8.9 against short_a 2.5.
        assertEquals(List.of("fct", "features", "test_features", "model", "short_a", "short_b", "short_c"), runOrder(dag, seconds));
        assertEquals(List.of("fct", "short_a", "features", "short_b", "test_features", "short_c", "model"), runOrder(dag, Map.of()));
    }

    /**
     * A node the previous run did not time (new, or that run selected fewer nodes) counts as the mean of the timed
     * nodes of its kind; timings of nodes not in this run are ignored; equal timed chains fall back to the count.
     */
    @Test
    void untimedNodesCountAsTheMeanOfTheirKind() {
        Dag dag = new Dag();
        dag.addEdge("root", "new_model");
        dag.addEdge("new_model", "leaf");
        dag.addEdge("root", "slow");
        dag.addEdge("root", "quick");
        // Timed non-tests: root 1, slow 3, quick 0.5, leaf 1.5: mean 1.5, so new_model's chain is 1.5 + 1.5 = 3.0.
        // slow's chain is 3.0 too: the tie goes to new_model, which has a node after it.
        Map<String, Double> seconds = Map.of("root", 1.0, "slow", 3.0, "quick", 0.5, "leaf", 1.5, "elsewhere", 100.0);
        assertEquals(List.of("root", "new_model", "slow", "leaf", "quick"), runOrder(dag, seconds));
        // Timings of tests alone do not rank models: the count decides.
        assertEquals(runOrder(dag, Map.of()), runOrder(dag, Map.of("a_test", 4.0)));
    }
}
