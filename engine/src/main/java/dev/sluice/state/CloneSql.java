package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements of clone, as dbt's clone materialization: a zero-copy clone of a state table where the warehouse
 * has one (Snowflake's clone, Databricks' shallow clone), otherwise a view selecting from the state's relation.
 */
public final class CloneSql {
    private CloneSql() {
    }

    /** Whether the clone is a copy-free table (true) or a view onto the state (false). */
    public static boolean zeroCopy(Adapter adapter, RelationKind sourceKind) {
        return sourceKind == RelationKind.TABLE && (adapter.type().equals("snowflake") || adapter.type().equals("databricks"));
    }

    /**
     * @param existing what the target has under that name now, dropped first (only with --full-refresh)
     */
    public static List<String> statements(Adapter adapter, Relation target, Relation source, RelationKind sourceKind,
                                          Optional<RelationKind> existing) {
        List<String> out = new ArrayList<>();
        // The views on what is replaced are kept on the clone where dropping would take them (PostgreSQL).
        existing.flatMap(k -> adapter.saveDependentsSql(target)).ifPresent(out::add);
        existing.ifPresent(k -> out.add(adapter.dropSql(target, k)));
        if (zeroCopy(adapter, sourceKind)) {
            String how = adapter.type().equals("databricks") ? " shallow clone " : " clone ";
            out.add("create or replace table " + adapter.render(target) + how + adapter.render(source));
        } else {
            out.add(adapter.createViewSql(target, "select * from " + adapter.render(source)));
        }
        existing.flatMap(k -> adapter.restoreDependentsSql(target, List.of())).ifPresent(out::add);
        return out;
    }
}
