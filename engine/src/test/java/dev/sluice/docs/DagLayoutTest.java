package dev.sluice.docs;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagLayoutTest {
    @Test
    void everyEdgePointsRightAndNoTwoNodesShareASpot() {
        List<String> nodes = List.of("a", "b", "c", "d", "e");
        List<String[]> edges = List.of(new String[]{"a", "c"}, new String[]{"b", "c"}, new String[]{"c", "d"},
                new String[]{"a", "d"}, new String[]{"x", "a"});
        DagLayout.Result r = DagLayout.layout(nodes, edges);
        Map<String, DagLayout.Position> p = r.positions();
        assertEquals(nodes, List.copyOf(p.keySet()));
        for (String[] e : edges) {
            if (p.containsKey(e[0])) assertTrue(p.get(e[0]).layer() < p.get(e[1]).layer(), e[0] + "->" + e[1]);
        }
        assertEquals(2, p.get("d").layer(), "longest path decides the layer");
        assertEquals(0, p.get("e").layer());
        Set<String> spots = new HashSet<>();
        for (DagLayout.Position pos : p.values()) {
            assertTrue(spots.add(pos.x() + "," + pos.y()));
            assertTrue(pos.x() + DagLayout.NODE_WIDTH <= r.width() && pos.y() + DagLayout.NODE_HEIGHT <= r.height());
        }
    }

    @Test
    void longEdgesGetASlotInEachLayerTheyCross() {
        DagLayout.Result r = DagLayout.layout(List.of("a", "b", "c", "d"),
                List.of(new String[]{"a", "b"}, new String[]{"b", "c"}, new String[]{"c", "d"}, new String[]{"a", "d"}));
        assertEquals(1, r.routes().size());
        DagLayout.Route route = r.routes().get(0);
        assertEquals("a", route.from());
        assertEquals("d", route.to());
        assertEquals(2, route.slots().size());
        // The slot in layer 1 sits beside b, not on top of it.
        int[] slot = route.slots().get(0);
        assertEquals(r.positions().get("b").x(), slot[0]);
        assertTrue(Math.abs(slot[2] - (r.positions().get("b").y() + DagLayout.NODE_HEIGHT / 2)) >= DagLayout.NODE_HEIGHT);
    }

    @Test
    void aCycleStillGetsPlaced() {
        DagLayout.Result r = DagLayout.layout(List.of("a", "b", "c"),
                List.of(new String[]{"a", "b"}, new String[]{"b", "c"}, new String[]{"c", "b"}));
        assertEquals(3, r.positions().size());
        assertEquals(0, r.positions().get("a").layer());
    }

    @Test
    void emptyGraph() {
        DagLayout.Result r = DagLayout.layout(List.of(), List.of());
        assertEquals(0, r.width());
        assertTrue(r.positions().isEmpty());
    }
}
