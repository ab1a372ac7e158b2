package dev.sluice.state;

import dev.sluice.adapter.Relation;
import dev.sluice.compile.CompiledNode;
import dev.sluice.graph.Dag;
import dev.sluice.project.NodeType;
import dev.sluice.sql.ColumnSource;
import dev.sluice.sql.SqlAnalysis;
import dev.sluice.sql.SqlAnalyzer;
import dev.sluice.sql.TableName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The output columns a build would change, found by comparing each model's columns as Calcite derives them from its
 * compiled SQL with the columns of its deployed relation, and which of those changes break a downstream model.
 *
 * <p>A removed or retyped column breaks every downstream column computed from it, followed through the column lineage as far
 * as it goes (a downstream model that passes the column on breaks the models that read it from there). Downstream
 * SQL is analysed again against the deployed columns of what it reads, since that is what it was written for: against
 * the new columns a {@code select *} no longer carries the removed one. A column renamed in the SQL shows as one
 * removed and one added; types are compared as the driver reports them for both (see {@code Session#resultColumnTypes}); only output columns are followed (a removed column used only in a join or filter of a
 * downstream model is not seen).
 */
public final class ColumnChanges {
    /** A downstream model's output column computed from a removed column. */
    public record Affected(String nodeId, String model, String column) {
    }

    /**
     * One column of a model that a build would add, remove or give another type.
     *
     * @param oldType for a retyped column the deployed type, else null
     * @param newType for a retyped column the type the new SQL gives it, else null
     */
    public record Change(String column, String kind, String oldType, String newType, List<Affected> affected) {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
        public static final String RETYPED = "retyped";

        /** A removed or retyped column that a downstream model reads. */
        public boolean breaking() {
            return !affected.isEmpty();
        }
    }

    private final Map<String, CompiledNode> nodes;
    private final Map<String, List<String>> deployed;
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final Dag dag = new Dag();
    private final List<String> order;

    /**
     * @param nodes    the compiled manifest's nodes (analysed by Calcite)
     * @param deployed the column names of each node's relation as the warehouse has it, for nodes that exist
     */
    public ColumnChanges(Map<String, CompiledNode> nodes, Map<String, List<String>> deployed) {
        this.nodes = nodes;
        this.deployed = deployed;
        for (CompiledNode n : nodes.values()) {
            dag.addNode(n.uniqueId());
            for (String d : n.dependsOn()) {
                dag.addNode(d);
                dag.addEdge(d, n.uniqueId());
            }
        }
        this.order = dag.topologicalOrder();
    }

    /**
     * What a build of the node would change in its relation's columns; empty when nothing, or when either side is not
     * known (the relation is absent, or Calcite could not derive the columns: see {@link #knowable}).
     */
    public List<Change> of(String nodeId) {
        return of(nodeId, Map.of(), Map.of());
    }

    /**
     * As {@link #of(String)}, also reporting columns whose type differs.
     *
     * @param oldTypes the deployed relation's column types by lower-case name (empty when unknown)
     * @param newTypes the types of the new SQL's columns by lower-case name, read the same way (empty when unknown)
     */
    public List<Change> of(String nodeId, Map<String, String> oldTypes, Map<String, String> newTypes) {
        CompiledNode n = nodes.get(nodeId);
        List<String> before = deployed.get(nodeId);
        if (n == null || before == null || !knowable(n)) return List.of();
        Set<String> after = lower(n.columns());
        Set<String> was = lower(before);
        List<Change> out = new ArrayList<>();
        List<String> removed = before.stream().filter(c -> !after.contains(c.toLowerCase(Locale.ROOT))).toList();
        List<String> retyped = before.stream().filter(c -> {
            String k = c.toLowerCase(Locale.ROOT);
            return after.contains(k) && oldTypes.containsKey(k) && newTypes.containsKey(k) && !oldTypes.get(k).equalsIgnoreCase(newTypes.get(k));
        }).toList();
        List<String> followed = new ArrayList<>(removed);
        followed.addAll(retyped);
        Map<String, List<Affected>> affected = followed.isEmpty() ? Map.of() : downstreamOf(n, followed);
        for (String c : removed) {
            out.add(new Change(c, Change.REMOVED, null, null, affected.getOrDefault(c.toLowerCase(Locale.ROOT), List.of())));
        }
        for (String c : retyped) {
            String k = c.toLowerCase(Locale.ROOT);
            out.add(new Change(c, Change.RETYPED, oldTypes.get(k), newTypes.get(k), affected.getOrDefault(k, List.of())));
        }
        for (String c : n.columns()) {
            if (!was.contains(c.toLowerCase(Locale.ROOT))) out.add(new Change(c, Change.ADDED, null, null, List.of()));
        }
        return out;
    }

    /** Whether the node's new columns are known: a model or snapshot whose SQL Calcite analysed. */
    public boolean knowable(CompiledNode n) {
        return (n.node().type() == NodeType.MODEL || n.node().type() == NodeType.SNAPSHOT) && n.parsed()
                && !n.columns().isEmpty() && !n.isEphemeral();
    }

    /**
     * For each removed or retyped column (lower case), the downstream columns computed from it, directly or through other
     * downstream models, in DAG order.
     */
    private Map<String, List<Affected>> downstreamOf(CompiledNode changed, List<String> removed) {
        // Broken columns: relation -> lower-case column -> the removed column of the changed model it comes from.
        Map<Relation, Map<String, Set<String>>> broken = new HashMap<>();
        Map<String, Set<String>> own = new HashMap<>();
        for (String c : removed) own.put(c.toLowerCase(Locale.ROOT), Set.of(c.toLowerCase(Locale.ROOT)));
        broken.put(changed.relation(), own);
        Map<String, List<Affected>> out = new LinkedHashMap<>();
        Set<String> below = dag.descendants(changed.uniqueId(), Integer.MAX_VALUE);
        for (String id : order) {
            if (!below.contains(id)) continue;
            CompiledNode d = nodes.get(id);
            if (d == null || d.isEphemeral() || d.compiledSql() == null || d.compiledSql().isBlank()
                    || !(d.node().type() == NodeType.MODEL || d.node().type() == NodeType.SNAPSHOT)) {
                continue;
            }
            SqlAnalysis a = analyzer.analyze(d.compiledSql(), this::deployedColumns);
            if (!a.parsed()) continue;
            Map<String, Set<String>> mine = new HashMap<>();
            a.lineage().forEach((col, sources) -> {
                Set<String> roots = new LinkedHashSet<>();
                for (ColumnSource s : sources) {
                    for (Map.Entry<Relation, Map<String, Set<String>>> b : broken.entrySet()) {
                        if (!matches(s.table(), b.getKey())) continue;
                        Set<String> r = b.getValue().get(s.column().toLowerCase(Locale.ROOT));
                        if (r != null) roots.addAll(r);
                    }
                }
                if (roots.isEmpty()) return;
                mine.put(col.toLowerCase(Locale.ROOT), roots);
                for (String r : roots) out.computeIfAbsent(r, k -> new ArrayList<>()).add(new Affected(id, d.name(), col));
            });
            if (!mine.isEmpty()) broken.put(d.relation(), mine);
        }
        return out;
    }

    /** The columns a downstream query was written against: the deployed relation's, else what the project derives. */
    private Optional<List<String>> deployedColumns(TableName t) {
        for (CompiledNode c : nodes.values()) {
            if (c.relation() == null || c.isEphemeral() || !matches(t, c.relation())) continue;
            List<String> d = deployed.get(c.uniqueId());
            if (d != null && !d.isEmpty()) return Optional.of(d);
            if (!c.columns().isEmpty()) return Optional.of(c.columns());
        }
        return Optional.empty();
    }

    /** A table name as written in SQL ([[db.]schema.]table) names the relation. */
    static boolean matches(TableName t, Relation r) {
        if (r == null || !t.table().equalsIgnoreCase(r.identifier())) return false;
        List<String> p = t.parts();
        if (p.size() >= 2 && !p.get(p.size() - 2).equalsIgnoreCase(r.schema())) return false;
        return p.size() < 3 || r.database() == null || p.get(p.size() - 3).equalsIgnoreCase(r.database());
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }
}
