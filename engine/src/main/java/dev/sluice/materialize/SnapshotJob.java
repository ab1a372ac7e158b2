package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.project.Configs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A type-2 slowly changing dimension, as dbt snapshots: each version of a row is kept with dbt_valid_from and
 * dbt_valid_to; the current version has dbt_valid_to null. Changes are found by the timestamp strategy
 * (updated_at newer) or the check strategy (any of check_cols differs). All changes of a run are applied in
 * one transaction.
 */
public final class SnapshotJob implements NodeJob {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private final CompiledNode node;
    private final Adapter adapter;
    private final String strategy;
    private final List<String> keys;
    private final String updatedAt;
    private final Object checkCols;
    private final boolean invalidateDeletes;
    private final String runTimestamp;

    public SnapshotJob(CompiledNode node, Adapter adapter, Instant runStartedAt) {
        this.node = node;
        this.adapter = adapter;
        Map<String, Object> c = node.config();
        SourceLocation where = new SourceLocation(node.node().file(), node.node().lineOffset() + 1, 0);
        this.strategy = c.get("strategy") == null ? null : c.get("strategy").toString().toLowerCase(Locale.ROOT);
        if (!"timestamp".equals(strategy) && !"check".equals(strategy)) {
            throw new ConfigException("snapshot '" + node.name() + "' needs strategy 'timestamp' or 'check', got '" + strategy + "'", where);
        }
        this.keys = Configs.strings(c.get("unique_key"));
        if (keys.isEmpty()) throw new ConfigException("snapshot '" + node.name() + "' needs a unique_key", where);
        this.updatedAt = c.get("updated_at") == null ? null : c.get("updated_at").toString();
        if (strategy.equals("timestamp") && updatedAt == null) {
            throw new ConfigException("snapshot '" + node.name() + "' uses the timestamp strategy and needs updated_at", where);
        }
        this.checkCols = c.get("check_cols");
        if (strategy.equals("check") && checkCols == null) {
            throw new ConfigException("snapshot '" + node.name() + "' uses the check strategy and needs check_cols", where);
        }
        Object hd = c.get("hard_deletes");
        this.invalidateDeletes = Configs.bool(c.get("invalidate_hard_deletes"), false) || "invalidate".equals(String.valueOf(hd));
        this.runTimestamp = LocalDateTime.ofInstant(runStartedAt, ZoneOffset.UTC).format(TS);
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return "snapshot " + node.relation().display();
    }

    @Override
    public String kind() {
        return "snapshot";
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        Hooks.before(s, node);
        Relation target = node.relation();
        Swap swap = new Swap(adapter);
        String changedAt = changeExpr("src");
        long rows;
        if (s.relationKind(target).isEmpty()) {
            String select = "select src.*, " + scdId("src", changedAt) + " as dbt_scd_id, " + changedAt + " as dbt_updated_at, "
                    + changedAt + " as dbt_valid_from, cast(null as " + adapter.timestampType() + ") as dbt_valid_to from (\n" + node.compiledSql() + "\n) src";
            swap.replaceWith(s, target, RelationKind.TABLE, select);
            rows = count(s, target);
        } else {
            rows = update(s, target, swap);
        }
        Hooks.after(s, node, adapter);
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "INSERT " + rows, start, Instant.now(), null, null,
                Map.of("rows_affected", rows));
    }

    /** When a row's version starts: its updated_at (timestamp strategy) or the run's start (check strategy). */
    private String changeExpr(String alias) {
        return strategy.equals("timestamp") ? "cast(" + alias + "." + q(updatedAt) + " as " + adapter.timestampType() + ")" : nowTs();
    }

    private long update(Session s, Relation target, Swap swap) {
        Relation staging = Swap.staging(target, "s");
        swap.dropIfExists(s, staging);
        s.execute(adapter.createTableSql(staging, "select src.*, " + changeExpr("src")
                + " as dbt_change_ts from (\n" + node.compiledSql() + "\n) src"));
        try {
            List<String> sourceCols = new ArrayList<>();
            for (ColumnInfo c : s.columns(staging)) if (!c.name().equalsIgnoreCase("dbt_change_ts")) sourceCols.add(c.name());
            List<ColumnInfo> targetCols = s.columns(target);
            List<String> statements = new ArrayList<>();
            for (ColumnInfo c : s.columns(staging)) {
                if (c.name().equalsIgnoreCase("dbt_change_ts")) continue;
                if (targetCols.stream().noneMatch(t -> t.name().equalsIgnoreCase(c.name()))) {
                    statements.add(adapter.addColumnSql(target, c.name(), c.dataType()));
                }
            }
            String t = adapter.render(target);
            String st = adapter.render(staging);
            String keyJoin = join("snap", "stg");
            String changed = strategy.equals("timestamp")
                    ? "stg.dbt_change_ts > snap.dbt_updated_at"
                    : String.join(" or ", checkColumns(sourceCols).stream()
                    .map(c -> "snap." + q(c) + " is distinct from stg." + q(c)).toList());
            // Close the current version of every changed row.
            statements.add(adapter.snapshotCloseChangedSql(target, staging, keys, changed));
            // Insert a current version for changed and new keys (those now without a current row).
            String cols = String.join(", ", sourceCols.stream().map(this::q).toList());
            String stgCols = String.join(", ", sourceCols.stream().map(c -> "stg." + q(c)).toList());
            statements.add("insert into " + t + " (" + cols + ", dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to) select "
                    + stgCols + ", " + scdId("stg", "stg.dbt_change_ts") + ", stg.dbt_change_ts, stg.dbt_change_ts, cast(null as " + adapter.timestampType() + ") from "
                    + st + " as stg where not exists (select 1 from " + t + " as snap where " + keyJoin
                    + " and snap.dbt_valid_to is null)");
            if (invalidateDeletes) {
                statements.add(adapter.snapshotInvalidateDeletedSql(target, staging, keys, nowTs()));
            }
            s.transaction(statements);
            return count(s, target);
        } finally {
            swap.dropIfExists(s, staging);
        }
    }

    private List<String> checkColumns(List<String> sourceCols) {
        if (checkCols instanceof String str && str.equalsIgnoreCase("all")) {
            return sourceCols.stream().filter(c -> keys.stream().noneMatch(k -> k.equalsIgnoreCase(c))).toList();
        }
        return Configs.strings(checkCols);
    }

    private String join(String a, String b) {
        return String.join(" and ", keys.stream().map(k -> a + "." + q(k) + " = " + b + "." + q(k)).toList());
    }

    /** A version's id: its key and the time the version starts, as dbt computes dbt_scd_id. */
    private String scdId(String alias, String ts) {
        StringBuilder sb = new StringBuilder("md5(");
        for (String k : keys) sb.append("coalesce(cast(").append(alias).append('.').append(q(k)).append(" as ").append(adapter.stringType()).append("), '') || '|' || ");
        return sb.append("coalesce(cast(").append(ts).append(" as ").append(adapter.stringType()).append("), ''))").toString();
    }

    private String nowTs() {
        return "cast('" + runTimestamp + "' as " + adapter.timestampType() + ")";
    }

    private String q(String ident) {
        return adapter.quote(ident);
    }

    private long count(Session s, Relation r) {
        return ((Number) s.query("select count(*) from " + adapter.render(r)).get(0).values().iterator().next()).longValue();
    }
}
