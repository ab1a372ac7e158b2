package dev.sluice.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records grouped into people by the edges between them, transitively (union-find). */
public final class Clusters {
    private final Map<Object, Object> parent = new HashMap<>();

    public Clusters(List<MatchRecord> records, List<MatchEdge> edges) {
        records.forEach(r -> parent.put(r.id(), r.id()));
        for (MatchEdge e : edges) union(e.fromId(), e.toId());
    }

    /** The smallest id of the record's group: the same representative the warehouse-side unification picks. */
    public Object personOf(Object id) {
        return find(id);
    }

    private Object find(Object id) {
        Object p = parent.get(id);
        if (p == null) throw new IllegalArgumentException("no record " + id);
        if (p.equals(id)) return id;
        Object root = find(p);
        parent.put(id, root);
        return root;
    }

    private void union(Object a, Object b) {
        Object ra = find(a), rb = find(b);
        if (ra.equals(rb)) return;
        // The smaller id stays the root, so a group's representative is its smallest id.
        if (IdentityMatcher.compareIds(ra, rb) <= 0) parent.put(rb, ra);
        else parent.put(ra, rb);
    }
}
