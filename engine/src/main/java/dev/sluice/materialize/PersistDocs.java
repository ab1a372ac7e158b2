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

    static void apply(Session s, CompiledNode node, Adapter adapter, RelationKind kind) {
        if (!(node.config().get("persist_docs") instanceof Map<?, ?> pd)) return;
        boolean relation = Boolean.TRUE.equals(pd.get("relation")) || "true".equals(String.valueOf(pd.get("relation")));
        boolean columns = Boolean.TRUE.equals(pd.get("columns")) || "true".equals(String.valueOf(pd.get("columns")));
        List<String> statements = new ArrayList<>();
        String description = node.node().description();
        if (relation && description != null && !description.isBlank()) {
            statements.add(adapter.commentSql(node.relation(), kind, description));
        }
        if (columns) {
            List<ColumnInfo> have = s.columns(node.relation());
            for (ColumnSpec c : node.node().columns()) {
                if (c.description() == null || c.description().isBlank()) continue;
                have.stream().filter(h -> h.name().equalsIgnoreCase(c.name())).findFirst().ifPresent(h ->
                        statements.add(adapter.columnCommentSql(node.relation(), kind, h.name(), c.description())));
            }
        }
        for (String sql : statements) s.execute(sql);
    }
}
