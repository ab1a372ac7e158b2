package dev.sluice.graph;

import dev.sluice.error.CompilationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagTest {
    private static Dag chain() {
        Dag d = new Dag();
        d.addEdge("model.p.a", "model.p.b");
        d.addEdge("model.p.b", "model.p.c");
        d.addEdge("model.p.a", "model.p.d");
        return d;
    }

    @Test
    void topologicalOrderRespectsEdges() {
        List<String> order = chain().topologicalOrder();
        assertTrue(order.indexOf("model.p.a") < order.indexOf("model.p.b"));
        assertTrue(order.indexOf("model.p.b") < order.indexOf("model.p.c"));
        assertEquals(4, order.size());
    }

    @Test
    void subgraphKeepsOrderThroughLeftOutNodes() {
        Dag sub = chain().subgraph(List.of("model.p.a", "model.p.c"));
        assertEquals(Set.of("model.p.a"), sub.parents("model.p.c"));
    }

    @Test
    void cycleIsReportedWithItsPath() {
        Dag d = chain();
        d.addEdge("model.p.c", "model.p.a");
        CompilationException e = assertThrows(CompilationException.class,
                () -> d.checkAcyclic(id -> Path.of("models", id.substring(8) + ".sql")));
        assertTrue(e.getMessage().contains("a -> b -> c -> a"), e.getMessage());
        assertTrue(e.getMessage().contains("models/a.sql"), e.getMessage());
    }

    @Test
    void ancestorsAndDescendantsWithDepth() {
        Dag d = chain();
        assertEquals(Set.of("model.p.b", "model.p.c", "model.p.d"), d.descendants("model.p.a", Integer.MAX_VALUE));
        assertEquals(Set.of("model.p.b", "model.p.d"), d.descendants("model.p.a", 1));
        assertEquals(Set.of("model.p.b", "model.p.a"), d.ancestors("model.p.c", 2));
    }

    @Test
    void fiftyThousandNodeChainSortsSelectsAndFindsItsCycleWithoutRecursion() {
        int n = 50_000;
        Dag d = new Dag();
        for (int i = 1; i < n; i++) d.addEdge("model.p.m" + (i - 1), "model.p.m" + i);
        List<String> order = d.topologicalOrder();
        assertEquals(n, order.size());
        assertEquals("model.p.m" + (n - 1), order.get(n - 1));
        assertEquals(n - 1, d.ancestors("model.p.m" + (n - 1), Integer.MAX_VALUE).size());
        java.util.Map<String, Selector.Candidate> candidates = new java.util.LinkedHashMap<>();
        for (String id : d.nodes()) {
            candidates.put(id, new Selector.Candidate(id, "model", id.substring(8), List.of("p", id.substring(8)),
                    null, java.util.Map.of(), null, Set.of()));
        }
        assertEquals(n, new Selector(d, candidates).select(List.of("@m25000"), List.of(), null).size());

        d.addEdge("model.p.m" + (n - 1), "model.p.m0");
        CompilationException e = assertThrows(CompilationException.class,
                () -> d.checkAcyclic(id -> Path.of("models", id.substring(8) + ".sql")));
        assertTrue(e.getMessage().contains("m49999 -> m0"), e.getMessage().substring(0, 200));
    }
}
