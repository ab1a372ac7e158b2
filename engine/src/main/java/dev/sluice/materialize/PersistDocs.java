package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.project.ColumnSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dbt's persist_docs: {relation: true} writes the model's description as the relation's comment and
 * {columns: true} each documented column's description as that column's comment, after the build and before the
 * post-hooks. As in dbt, documented columns the relation does not have are passed over.
 */
final class PersistDocs {
    private PersistDocs() {
    }

    /** @return dbt's warning naming the documented columns the relation lacks, or null when there are none */
    static String apply(Session s, CompiledNode node, Adapter adapter, RelationKind kind) {
        if (!(node.config().get("persist_docs") instanceof Map<?, ?> pd)) return null;
        boolean relation = Boolean.TRUE.equals(pd.get("relation")) || "true".equals(String.valueOf(pd.get("relation")));
        boolean columns = Boolean.TRUE.equals(pd.get("columns")) || "true".equals(String.valueOf(pd.get("columns")));
        List<String> statements = new ArrayList<>();
        String description = node.node().description();
        if (relation && description != null && !description.isBlank()) {
            statements.add(adapter.commentSql(node.relation(), kind, description));
        }
        if (columns) {
            List<ColumnInfo> have = s.columns(node.relation());
            List<String> missing = new ArrayList<>();
            for (ColumnSpec c : node.node().columns()) {
                if (c.description() == null || c.description().isBlank()) continue;
                // A quoted name (quote: true) is that exact identifier; an unquoted one matches whatever its case.
                java.util.Optional<ColumnInfo> found = have.stream()
                        .filter(h -> c.quote() ? h.name().equals(c.name()) : h.name().equalsIgnoreCase(c.name())).findFirst();
                if (found.isPresent()) {
                    statements.add(adapter.columnCommentSql(node.relation(), kind, found.get().name(), c.description()));
                } else {
                    missing.add(c.name());
                }
            }
            for (String sql : statements) s.execute(sql);
            return missing.isEmpty() ? null : "persist_docs of model '" + node.name() + "': The following columns are "
                    + "specified in the schema but are not present in the database: " + String.join(", ", missing);
        }
        for (String sql : statements) s.execute(sql);
        return null;
    }
}
