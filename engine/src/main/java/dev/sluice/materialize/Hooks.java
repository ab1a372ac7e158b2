package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.project.Configs;

import java.util.Map;

/** pre-hook / post-hook statements and grants around a node's build, in the node's own session. */
public final class Hooks {
    private Hooks() {
    }

    public static void before(Session s, CompiledNode n) {
        n.preHooks().forEach(s::execute);
    }

    public static void after(Session s, CompiledNode n, Adapter adapter) {
        n.postHooks().forEach(s::execute);
        Object grants = n.config().get("grants");
        if (grants instanceof Map<?, ?> m) {
            RelationKind kind = "view".equals(n.materialized()) ? RelationKind.VIEW : RelationKind.TABLE;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                for (String grantee : Configs.strings(e.getValue())) {
                    adapter.grantSql(n.relation(), kind, String.valueOf(e.getKey()), grantee).ifPresent(s::execute);
                }
            }
        }
    }
}
