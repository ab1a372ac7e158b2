package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.project.Configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** pre-hook / post-hook statements and grants around a node's build, in the node's own session. */
public final class Hooks {
    private Hooks() {
    }

    public static void before(Session s, CompiledNode n) {
        n.preHooks().forEach(s::execute);
    }

    public static void after(Session s, CompiledNode n, Adapter adapter) {
        n.postHooks().forEach(s::execute);
        applyGrants(s, n, adapter);
    }

    /**
     * dbt's apply_grants: the relation ends with exactly the configured grants. Where the warehouse lists
     * privileges, those others hold that the config does not name are revoked (a table kept across builds, such
     * as an incremental one, keeps its grants otherwise) and only missing ones are granted; elsewhere every
     * configured grant is issued. Privileges compare without case, as do grantees (Snowflake upper-cases role
     * names). An empty or absent grants config leaves the relation's privileges alone, as in dbt.
     */
    static void applyGrants(Session s, CompiledNode n, Adapter adapter) {
        Object grants = n.config().get("grants");
        if (!(grants instanceof Map<?, ?> m) || m.isEmpty()) return;
        RelationKind kind = "view".equals(n.materialized()) ? RelationKind.VIEW : RelationKind.TABLE;
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Set<String> grantees = wanted.computeIfAbsent(String.valueOf(e.getKey()).toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>());
            grantees.addAll(Configs.strings(e.getValue()));
        }
        Map<String, Set<String>> current = new LinkedHashMap<>();
        Optional<String> show = adapter.showGrantsSql(n.relation(), kind);
        if (show.isPresent()) {
            for (Map<String, Object> row : s.query(show.get())) {
                adapter.grantOf(row).ifPresent(g -> current.computeIfAbsent(g.get(0).toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(g.get(1)));
            }
        }
        for (Map.Entry<String, Set<String>> held : current.entrySet()) {
            for (String grantee : held.getValue()) {
                if (!containsIgnoreCase(wanted.get(held.getKey()), grantee)) {
                    adapter.revokeSql(n.relation(), kind, held.getKey(), grantee).ifPresent(s::execute);
                }
            }
        }
        for (Map.Entry<String, Set<String>> want : wanted.entrySet()) {
            List<String> missing = new ArrayList<>();
            for (String grantee : want.getValue()) if (!containsIgnoreCase(current.get(want.getKey()), grantee)) missing.add(grantee);
            for (String grantee : missing) adapter.grantSql(n.relation(), kind, want.getKey(), grantee).ifPresent(s::execute);
        }
    }

    private static boolean containsIgnoreCase(Set<String> set, String value) {
        if (set == null) return false;
        for (String v : set) if (v.equalsIgnoreCase(value)) return true;
        return false;
    }
}
