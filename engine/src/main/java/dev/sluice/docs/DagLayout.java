package dev.sluice.docs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layered drawing of a DAG: each node's layer is its longest path from a root, so every edge
 * points rightwards; rows inside a layer are ordered by the barycentre of their neighbours to
 * cut down on crossings. Computed in Java so tests can check it and the page only has to draw (the docs site
 * and the operations app's DAG page).
 */
public final class DagLayout {
    public static final int NODE_WIDTH = 160;
    public static final int NODE_HEIGHT = 34;
    static final int LAYER_GAP = 70;
    static final int ROW_GAP = 16;
    static final int MARGIN = 20;

    /** Top-left corner of one node's box. */
    public record Position(int layer, int row, int x, int y) {
    }

    /**
     * Where an edge spanning several layers passes through the layers between its ends: one
     * {x-left, x-right, y-centre} slot per skipped layer, so it is drawn around nodes, not under them.
     */
    public record Route(String from, String to, List<int[]> slots) {
    }

    public record Result(Map<String, Position> positions, List<Route> routes, int width, int height) {
    }

    private DagLayout() {
    }

    /**
     * @param nodes ids in a stable order (ties keep this order)
     * @param edges [from, to] pairs; pairs naming unknown ids are ignored
     */
    public static Result layout(List<String> nodes, List<String[]> edges) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (String n : nodes) {
            parents.put(n, new ArrayList<>());
            children.put(n, new ArrayList<>());
        }
        for (String[] e : edges) {
            if (!parents.containsKey(e[0]) || !parents.containsKey(e[1]) || e[0].equals(e[1])) continue;
            parents.get(e[1]).add(e[0]);
            children.get(e[0]).add(e[1]);
        }
        Map<String, Integer> layer = layers(nodes, parents, children);
        int layerCount = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) rows.add(new ArrayList<>());
        for (String n : nodes) rows.get(layer.get(n)).add(n);

        // Long edges become chains of placeholder slots, one per layer crossed, which are ordered
        // along with the real nodes; the ids start with a NUL so they cannot clash with real ones.
        Map<String, List<String>> dummyChains = new LinkedHashMap<>();
        for (String[] e : edges) {
            if (!layer.containsKey(e[0]) || !layer.containsKey(e[1]) || e[0].equals(e[1])) continue;
            int from = layer.get(e[0]);
            int to = layer.get(e[1]);
            if (to - from <= 1) continue;
            String key = e[0] + "\n" + e[1];
            if (dummyChains.containsKey(key)) continue;
            List<String> chain = new ArrayList<>();
            String prev = e[0];
            for (int l = from + 1; l < to; l++) {
                String d = "\0" + dummyChains.size() + ":" + l;
                chain.add(d);
                rows.get(l).add(d);
                parents.put(d, new ArrayList<>(List.of(prev)));
                children.put(d, new ArrayList<>());
                children.get(prev).add(d);
                prev = d;
            }
            children.get(prev).add(e[1]);
            children.get(e[0]).remove(e[1]);
            parents.get(e[1]).remove(e[0]);
            parents.get(e[1]).add(prev);
            dummyChains.put(key, chain);
        }

        // A few alternating sweeps are enough for the small graphs of a project; more rarely helps.
        Map<String, Integer> index = new HashMap<>();
        reindex(rows, index);
        for (int sweep = 0; sweep < 6; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int k = 1; k < layerCount; k++) {
                int l = down ? k : layerCount - 1 - k;
                List<String> row = rows.get(l);
                Map<String, List<String>> neighbours = down ? parents : children;
                Map<String, Double> bary = new HashMap<>();
                for (String n : row) {
                    List<String> ns = neighbours.get(n);
                    bary.put(n, ns.isEmpty() ? index.get(n) : ns.stream().mapToInt(index::get).average().orElse(0));
                }
                row.sort(Comparator.comparingDouble(bary::get));
                reindex(rows, index);
            }
        }

        int maxRows = rows.stream().mapToInt(List::size).max().orElse(0);
        Map<String, Position> out = new HashMap<>();
        for (int l = 0; l < layerCount; l++) {
            List<String> row = rows.get(l);
            // Centre short layers vertically so the picture reads as a flow rather than a staircase.
            int offset = (maxRows - row.size()) * (NODE_HEIGHT + ROW_GAP) / 2;
            for (int r = 0; r < row.size(); r++) {
                int x = MARGIN + l * (NODE_WIDTH + LAYER_GAP);
                int y = MARGIN + offset + r * (NODE_HEIGHT + ROW_GAP);
                out.put(row.get(r), new Position(l, r, x, y));
            }
        }
        int width = layerCount == 0 ? 0 : 2 * MARGIN + layerCount * NODE_WIDTH + (layerCount - 1) * LAYER_GAP;
        int height = maxRows == 0 ? 0 : 2 * MARGIN + maxRows * NODE_HEIGHT + (maxRows - 1) * ROW_GAP;
        Map<String, Position> ordered = new LinkedHashMap<>();
        for (String n : nodes) ordered.put(n, out.get(n));
        List<Route> routes = new ArrayList<>();
        dummyChains.forEach((key, chain) -> {
            String[] ends = key.split("\n", 2);
            List<int[]> slots = new ArrayList<>();
            for (String d : chain) {
                Position p = out.get(d);
                slots.add(new int[]{p.x(), p.x() + NODE_WIDTH, p.y() + NODE_HEIGHT / 2});
            }
            routes.add(new Route(ends[0], ends[1], slots));
        });
        return new Result(ordered, routes, width, height);
    }

    /** Longest-path layering by Kahn's algorithm; nodes left on a cycle go one layer past the rest. */
    private static Map<String, Integer> layers(List<String> nodes, Map<String, List<String>> parents,
                                               Map<String, List<String>> children) {
        Map<String, Integer> indegree = new HashMap<>();
        Map<String, Integer> layer = new LinkedHashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (String n : nodes) {
            indegree.put(n, parents.get(n).size());
            layer.put(n, 0);
            if (parents.get(n).isEmpty()) ready.add(n);
        }
        int placed = 0;
        int deepest = 0;
        while (!ready.isEmpty()) {
            String n = ready.poll();
            placed++;
            deepest = Math.max(deepest, layer.get(n));
            for (String c : children.get(n)) {
                layer.put(c, Math.max(layer.get(c), layer.get(n) + 1));
                if (indegree.merge(c, -1, Integer::sum) == 0) ready.add(c);
            }
        }
        if (placed < nodes.size()) {
            for (String n : nodes) if (indegree.get(n) > 0) layer.put(n, deepest + 1);
        }
        return layer;
    }

    private static void reindex(List<List<String>> rows, Map<String, Integer> index) {
        for (List<String> row : rows) for (int i = 0; i < row.size(); i++) index.put(row.get(i), i);
    }
}
