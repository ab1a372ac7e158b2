package dev.sluice.compile;

import dev.sluice.adapter.Relation;
import dev.sluice.project.Node;
import dev.sluice.sql.ColumnSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node after rendering: final config, where it is built, what it depends on and its SQL.
 *
 * @param relation     where the node is materialized (for a test: where failures are stored)
 * @param dependsOn    unique ids of nodes and sources read, in first-reference order
 * @param compiledSql  rendered SQL, ephemeral models inlined as CTEs; empty for seeds
 * @param compiledPath file under target/compiled/, or null when not written
 * @param columns      output columns from Calcite, empty when unknown
 * @param parsed       whether Calcite parsed the SQL (false: dialect-specific, run as is)
 * @param preHooks     rendered pre-hook statements, run before the node in its session
 * @param postHooks    rendered post-hook statements, run after it
 */
public record CompiledNode(Node node, Map<String, Object> config, Relation relation, List<String> dependsOn,
                          String compiledSql, Path compiledPath, List<String> columns,
                          Map<String, Set<ColumnSource>> lineage, boolean parsed, List<String> preHooks,
                          List<String> postHooks) {

    public String uniqueId() {
        return node.uniqueId();
    }

    public String name() {
        return node.name();
    }

    public String materialized() {
        Object m = config.get("materialized");
        return m == null ? "view" : m.toString();
    }

    /** The same node with SQL rendered again when it runs. */
    public CompiledNode withSql(String sql) {
        return new CompiledNode(node, config, relation, dependsOn, sql, compiledPath, columns, lineage, parsed, preHooks,
                postHooks);
    }

    public boolean isEphemeral() {
        return "ephemeral".equals(materialized());
    }
}
