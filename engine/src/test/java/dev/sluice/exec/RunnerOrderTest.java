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
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Map<String, NodeJob> jobs = new LinkedHashMap<>();
        for (String id : dag.nodes()) jobs.put(id, new Recording(id, id.contains("test") ? "data test" : "table model", ran));
        Target target = new Target("p", "dev", "duckdb", null, "main", 1,
                Map.of("type", "duckdb", "path", dir.resolve("order.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
            List<NodeResult> results = new Runner(adapter::open, 1, quiet).run(dag, jobs);
            assertEquals(dag.nodes().size(), results.size());
        }
        // Chains after each node: a 2 (b, c; test_a does not count), test_a 2, b 1, leaf2_parent 1, the rest 0.
        // Equal chains go in topological order: quick_test, leaf, a, leaf2_parent, test_a, leaf2, b, c.
        assertEquals(List.of("a", "test_a", "leaf2_parent", "b", "quick_test", "leaf", "leaf2", "c"), ran);
    }
}
