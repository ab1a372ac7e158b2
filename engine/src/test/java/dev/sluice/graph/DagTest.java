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
}
