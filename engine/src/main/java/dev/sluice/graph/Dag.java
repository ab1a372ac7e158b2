package dev.sluice.graph;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A directed graph of unique ids; an edge runs from a node to what depends on it. Insertion-ordered. */
public final class Dag {
    private final Map<String, Set<String>> children = new LinkedHashMap<>();
    private final Map<String, Set<String>> parents = new LinkedHashMap<>();

    public void addNode(String id) {
        children.computeIfAbsent(id, k -> new LinkedHashSet<>());
        parents.computeIfAbsent(id, k -> new LinkedHashSet<>());
    }

    public void addEdge(String from, String to) {
        addNode(from);
        addNode(to);
        children.get(from).add(to);
        parents.get(to).add(from);
    }

    public Set<String> nodes() {
        return children.keySet();
    }

    public boolean contains(String id) {
        return children.containsKey(id);
    }

    public Set<String> parents(String id) {
        return parents.getOrDefault(id, Set.of());
    }

    public Set<String> children(String id) {
        return children.getOrDefault(id, Set.of());
    }

    /** Ancestors up to depth (Integer.MAX_VALUE for all), not including the node itself. */
    public Set<String> ancestors(String id, int depth) {
        return walk(id, depth, parents);
    }

    public Set<String> descendants(String id, int depth) {
        return walk(id, depth, children);
    }

    /** Ancestors of any of the nodes, in one walk: per-node walks over a long chain would be quadratic. */
    public Set<String> ancestorsOfAll(Collection<String> ids) {
        return walk(ids, Integer.MAX_VALUE, parents);
    }

    private static Set<String> walk(String start, int depth, Map<String, Set<String>> edges) {
        return walk(List.of(start), depth, edges);
    }

    private static Set<String> walk(Collection<String> starts, int depth, Map<String, Set<String>> edges) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> frontier = new ArrayDeque<>(starts);
        for (int d = 0; d < depth && !frontier.isEmpty(); d++) {
            Deque<String> next = new ArrayDeque<>();
            for (String n : frontier) {
                for (String m : edges.getOrDefault(n, Set.of())) {
                    if (seen.add(m)) next.add(m);
                }
            }
            frontier = next;
        }
        return seen;
    }

    /** Kahn's algorithm; ties keep insertion order so runs are reproducible. */
    public List<String> topologicalOrder() {
        Map<String, Integer> indegree = new HashMap<>();
        parents.forEach((k, v) -> indegree.put(k, v.size()));
        Deque<String> ready = new ArrayDeque<>();
        for (String n : children.keySet()) if (indegree.get(n) == 0) ready.add(n);
        List<String> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            String n = ready.poll();
            out.add(n);
            for (String c : children.get(n)) {
                if (indegree.merge(c, -1, Integer::sum) == 0) ready.add(c);
            }
        }
        return out;
    }

    /** Throws naming the files on a cycle, e.g. "a -> b -> a"; else returns the topological order it found. */
    public List<String> checkAcyclic(Function<String, Path> fileOf) {
        List<String> order = topologicalOrder();
        if (order.size() == children.size()) return order;
        List<String> cycle = findCycle();
        List<String> names = cycle.stream().map(id -> id.substring(id.indexOf('.', id.indexOf('.') + 1) + 1)).toList();
        StringBuilder files = new StringBuilder();
        for (String id : new LinkedHashSet<>(cycle)) {
            files.append(files.length() == 0 ? "" : ", ").append(fileOf.apply(id));
        }
        throw new CompilationException("dependency cycle: " + String.join(" -> ", names) + " (files: " + files + ")",
                SourceLocation.of(fileOf.apply(cycle.get(0))));
    }

    /**
     * Depth-first search with an explicit stack of child iterators: a chain of tens of thousands of nodes
     * (generated projects) must not overflow the thread's stack.
     */
    private List<String> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // 1 on the current path, 2 finished
        for (String start : children.keySet()) {
            if (state.containsKey(start)) continue;
            List<String> path = new ArrayList<>();
            Deque<java.util.Iterator<String>> pending = new ArrayDeque<>();
            state.put(start, 1);
            path.add(start);
            pending.push(children.get(start).iterator());
            while (!pending.isEmpty()) {
                java.util.Iterator<String> it = pending.peek();
                if (!it.hasNext()) {
                    pending.pop();
                    state.put(path.remove(path.size() - 1), 2);
                    continue;
                }
                String c = it.next();
                Integer s = state.get(c);
                if (s == null) {
                    state.put(c, 1);
                    path.add(c);
                    pending.push(children.get(c).iterator());
                } else if (s == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(c), path.size()));
                    cycle.add(c);
                    return cycle;
                }
            }
        }
        throw new IllegalStateException("no cycle found");
    }

    /**
     * The subgraph on the given nodes. Order through left-out nodes is kept: if a -> b -> c and b is left out,
     * c still waits for a, as dbt does.
     */
    public Dag subgraph(Collection<String> keep) {
        Set<String> k = new LinkedHashSet<>(keep);
        Dag d = new Dag();
        for (String n : children.keySet()) {
            if (!k.contains(n)) continue;
            d.addNode(n);
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(parents.get(n));
            while (!todo.isEmpty()) {
                String p = todo.poll();
                if (!seen.add(p)) continue;
                if (k.contains(p)) d.addEdge(p, n);
                else todo.addAll(parents.get(p));
            }
        }
        return d;
    }
}
