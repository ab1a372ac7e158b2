package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Two nodes that would build the same relation (one alias in one schema) are a parse error, as in dbt: otherwise
 * they would overwrite each other, or collide in the warehouse, depending on timing.
 */
final class DuplicateRelations {
    private DuplicateRelations() {
    }

    /**
     * @param nodes     the enabled nodes
     * @param relations the relation of each node, by unique id
     * @param config    the resolved config of each node, by unique id
     */
    static void check(List<Node> nodes, Map<String, Relation> relations, Function<String, Map<String, Object>> config,
                      Adapter adapter) {
        Map<String, Node> seen = new HashMap<>();
        for (Node n : nodes) {
            if (!builds(n, config.apply(n.uniqueId()))) continue;
            Relation r = relations.get(n.uniqueId());
            if (r == null) continue;
            String key = adapter.render(r).toLowerCase(Locale.ROOT);
            Node other = seen.putIfAbsent(key, n);
            if (other != null) {
                throw new CompilationException("two resources have the database representation " + adapter.render(r)
                        + ": " + other.uniqueId() + " (" + other.file() + ") and " + n.uniqueId() + " (" + n.file()
                        + "); nodes cannot have identical database representations, so change the alias, schema or"
                        + " database of one of them", SourceLocation.of(n.file()));
            }
        }
    }

    private static boolean builds(Node n, Map<String, Object> config) {
        if (n.type() == NodeType.SEED || n.type() == NodeType.SNAPSHOT) return true;
        if (n.type() != NodeType.MODEL || n.isOperatorOutput()) return false;
        return !"ephemeral".equals(String.valueOf(config.get("materialized")));
    }
}
