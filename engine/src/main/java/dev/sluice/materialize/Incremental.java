package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental materialization. The first build (or --full-refresh) creates the table like a table model;
 * later builds put the model's new rows into a staging table, then apply them with the configured strategy
 * in one transaction, so a failure or a killed process leaves the table as it was.
 */
public final class Incremental {
    private static final Set<String> STRATEGIES = Set.of("append", "merge", "delete+insert", "microbatch");

    /**
     * A strategy the project or a package defines with a get_incremental_NAME_sql macro, as dbt lets it: given the
     * target, the table holding the new rows and the columns to write, the SQL that applies them.
     */
    @FunctionalInterface
    public interface CustomStrategy {
        String sql(Session s, Relation target, Relation staged, List<ColumnInfo> destColumns);
    }

    /** Whether the engine applies this strategy itself (others need their get_incremental_NAME_sql macro). */
    public static boolean builtIn(String strategy) {
        return STRATEGIES.contains(strategy);
    }

    private static final Set<String> SCHEMA_POLICIES = Set.of("ignore", "fail", "append_new_columns", "sync_all_columns");
    private final Adapter adapter;
    private final CompiledNode node;
    private final boolean fullRefresh;
    /** Relations the run builds after this model, for a full refresh's Swap. */
    private final Set<Relation> rebuiltLater;
    /** The project's macro for a strategy the engine does not have; null otherwise. */
    private final CustomStrategy custom;

    Incremental(Adapter adapter, CompiledNode node, boolean fullRefresh, Set<Relation> rebuiltLater, CustomStrategy custom) {
        this.rebuiltLater = rebuiltLater;
        this.custom = custom;
        this.adapter = adapter;
        this.node = node;
        this.fullRefresh = Configs.fullRefresh(node.config(), fullRefresh);
    }

    /** @param customStrategy whether the project or a package has a get_incremental_NAME_sql macro for it */
    static void validate(CompiledNode node, boolean customStrategy) {
        SourceLocation where = SourceLocation.of(node.node().file());
        String strategy = strategy(node);
        if (!STRATEGIES.contains(strategy)) {
            if (customStrategy) {
                if (!SCHEMA_POLICIES.contains(policy(node))) {
                    throw new ConfigException("on_schema_change '" + policy(node) + "' of model '" + node.name()
                            + "' is not one of ignore, fail, append_new_columns, sync_all_columns", where);
                }
                return;
            }
            // dbt's own wording first, so what users search for matches.
            throw new ConfigException("could not find an incremental strategy macro with the name \"get_incremental_"
                    + strategy + "_sql\": incremental_strategy '" + strategy + "' of model '" + node.name()
                    + "' is not one of append, merge, delete+insert, microbatch, and no macro of the project or its"
                    + " packages defines it", where);
        }
        if (strategy.equals("microbatch")) {
            Microbatch.validate(node);
            if (!SCHEMA_POLICIES.contains(policy(node))) {
                throw new ConfigException("on_schema_change '" + policy(node) + "' of model '" + node.name()
                        + "' is not one of ignore, fail, append_new_columns, sync_all_columns", where);
            }
            return;
        }
        if (!strategy.equals("append") && keys(node).isEmpty()) {
            throw new ConfigException("incremental_strategy '" + strategy + "' of model '" + node.name()
                    + "' needs a unique_key", where);
        }
        boolean mergeColumns = node.config().get("merge_update_columns") != null
                || node.config().get("merge_exclude_columns") != null;
        if (mergeColumns && !strategy.equals("merge")) {
            throw new ConfigException("merge_update_columns and merge_exclude_columns of model '" + node.name()
                    + "' apply to incremental_strategy 'merge', not '" + strategy + "'", where);
        }
        if (node.config().get("merge_update_columns") != null && node.config().get("merge_exclude_columns") != null) {
            throw new ConfigException("model '" + node.name() + "' cannot specify both merge_update_columns and "
                    + "merge_exclude_columns", where);
        }
        if (!predicates(node).isEmpty() && strategy.equals("append")) {
            throw new ConfigException("incremental_predicates of model '" + node.name() + "' apply to the merge and "
                    + "delete+insert strategies; 'append' deletes and matches nothing", where);
        }
        if (!SCHEMA_POLICIES.contains(policy(node))) {
            throw new ConfigException("on_schema_change '" + policy(node) + "' of model '" + node.name()
                    + "' is not one of ignore, fail, append_new_columns, sync_all_columns", where);
        }
    }

    public static String strategy(CompiledNode node) {
        Object s = node.config().get("incremental_strategy");
        if (s == null) return keys(node).isEmpty() ? "append" : "merge";
        return s.toString().toLowerCase(Locale.ROOT);
    }

    static List<String> keys(CompiledNode node) {
        List<String> out = new ArrayList<>();
        for (String k : Configs.strings(node.config().get("unique_key"))) {
            for (String part : k.split(",")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    /** incremental_predicates, or dbt's older name for them, predicates: SQL conditions that narrow the match. */
    static List<String> predicates(CompiledNode node) {
        Object p = node.config().get("incremental_predicates");
        if (p == null) p = node.config().get("predicates");
        List<String> out = new ArrayList<>();
        for (String s : Configs.strings(p)) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    static String policy(CompiledNode node) {
        Object p = node.config().get("on_schema_change");
        return p == null ? "ignore" : p.toString();
    }

    /** @return rows written by this build */
    long run(Session s) {
        Relation target = node.relation();
        Swap swap = new Swap(adapter, null, rebuiltLater);
        Optional<RelationKind> existing = s.relationKind(target);
        if (existing.isEmpty() || existing.get() == RelationKind.VIEW || fullRefresh) {
            long n = ConstraintDdl.applies(node)
                    ? swap.replaceWithStatements(s, target, t -> ConstraintDdl.statements(adapter, node, t))
                    : swap.replaceWith(s, target, RelationKind.TABLE, node.compiledSql());
            return n >= 0 ? n : count(s, target);
        }
        Relation staging = Swap.staging(target, "i");
        swap.dropIfExists(s, staging);
        long staged = s.executeCounted(adapter.createTableSql(staging, node.compiledSql()));
        try {
            List<String> statements = new ArrayList<>();
            List<String> columns = reconcileColumns(s, target, staging, statements);
            List<String> keys = keys(node);
            for (String k : keys) {
                if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(k))) {
                    throw new CompilationException("unique_key column '" + k + "' is not a column of model '"
                            + node.name() + "'", SourceLocation.of(node.node().file()));
                }
            }
            switch (strategy(node)) {
                case "append" -> statements.add(adapter.insertSelectSql(target, staging, columns));
                case "merge" -> statements.add(adapter.mergeSql(target, staging, keys, columns, updateColumns(columns),
                        predicates(node)));
                case "delete+insert" -> {
                    statements.add(adapter.deleteMatchingSql(target, staging, keys, predicates(node)));
                    statements.add(adapter.insertSelectSql(target, staging, columns));
                }
                default -> {
                    // dbt's arg_dict gets the destination's columns once on_schema_change has been applied.
                    List<ColumnInfo> dest = new ArrayList<>();
                    for (ColumnInfo c : s.columns(staging)) if (columns.stream().anyMatch(n -> n.equalsIgnoreCase(c.name()))) dest.add(c);
                    String sql = custom.sql(s, target, staging, dest);
                    if (sql.isBlank()) {
                        throw new CompilationException("get_incremental_" + strategy(node) + "_sql gave no SQL for model '"
                                + node.name() + "'", SourceLocation.of(node.node().file()));
                    }
                    statements.add(sql);
                }
            }
            long rows = staged >= 0 ? staged : count(s, staging);
            s.transaction(statements);
            return rows;
        } finally {
            swap.dropIfExists(s, staging);
        }
    }

    /**
     * The columns a merge updates on matched rows: merge_update_columns, or all but merge_exclude_columns, as in dbt
     * (the key columns are never rewritten). A name that is not a column of the model is an error, not a no-op.
     */
    private List<String> updateColumns(List<String> columns) {
        Object only = node.config().get("merge_update_columns");
        Object exclude = node.config().get("merge_exclude_columns");
        List<String> named = Configs.strings(only != null ? only : exclude);
        for (String c : named) {
            if (columns.stream().noneMatch(have -> have.equalsIgnoreCase(c))) {
                throw new CompilationException((only != null ? "merge_update_columns" : "merge_exclude_columns")
                        + " names column '" + c + "', which is not a column of model '" + node.name() + "' "
                        + columns, SourceLocation.of(node.node().file()));
            }
        }
        List<String> keys = keys(node);
        return columns.stream()
                .filter(c -> keys.stream().noneMatch(k -> k.equalsIgnoreCase(c)))
                .filter(c -> only == null || named.stream().anyMatch(n -> n.equalsIgnoreCase(c)))
                .filter(c -> exclude == null || named.stream().noneMatch(n -> n.equalsIgnoreCase(c)))
                .toList();
    }

    /** Applies on_schema_change (with column types widened where the adapter can); returns the columns to write. */
    private List<String> reconcileColumns(Session s, Relation target, Relation staging, List<String> statements) {
        List<ColumnInfo> have = s.columns(target);
        List<ColumnInfo> come = s.columns(staging);
        List<ColumnInfo> added = come.stream().filter(c -> !contains(have, c.name())).toList();
        List<ColumnInfo> removed = have.stream().filter(c -> !contains(come, c.name())).toList();
        String policy = policy(node);
        if ((!added.isEmpty() || !removed.isEmpty()) && policy.equals("fail")) {
            throw new CompilationException("the columns of incremental model '" + node.name() + "' changed (added "
                    + names(added) + ", removed " + names(removed) + ") and on_schema_change is 'fail'; run with "
                    + "--full-refresh or change the policy", SourceLocation.of(node.node().file()));
        }
        List<String> columns = new ArrayList<>();
        for (ColumnInfo c : come) if (contains(have, c.name())) columns.add(c.name());
        if (policy.equals("append_new_columns") || policy.equals("sync_all_columns")) {
            // The policies that let a build change the table's schema also let a column's type widen (new ENUM values).
            for (ColumnInfo c : come) {
                for (ColumnInfo h : have) {
                    if (h.name().equalsIgnoreCase(c.name())) adapter.widenColumnTypeSql(s, target, staging, h, c).ifPresent(statements::add);
                }
            }
            for (ColumnInfo c : added) {
                statements.add(adapter.addColumnSql(target, c.name(), c.dataType()));
                columns.add(c.name());
            }
        }
        if (policy.equals("sync_all_columns")) {
            for (ColumnInfo c : removed) statements.add(adapter.dropColumnSql(target, c.name()));
        }
        return columns;
    }

    private static boolean contains(List<ColumnInfo> cols, String name) {
        return cols.stream().anyMatch(c -> c.name().equalsIgnoreCase(name));
    }

    private static String names(List<ColumnInfo> cols) {
        return cols.isEmpty() ? "none" : String.join(", ", cols.stream().map(ColumnInfo::name).toList());
    }

    private long count(Session s, Relation r) {
        return ((Number) s.query("select count(*) as n from " + adapter.render(r)).get(0).values().iterator().next()).longValue();
    }
}
