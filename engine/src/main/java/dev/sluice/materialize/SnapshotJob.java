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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A type-2 slowly changing dimension, as dbt snapshots: each version of a row is kept with dbt_valid_from and
 * dbt_valid_to; the current version has dbt_valid_to null (or dbt_valid_to_current). Changes are found by the
 * timestamp strategy (updated_at newer) or the check strategy (any of check_cols differs). All changes of a run are
 * applied in one transaction. The meta columns may be renamed (snapshot_meta_column_names), and a unique_key may be
 * an SQL expression over the query's columns, as in dbt. With hard_deletes 'new_record' (dbt 1.9) a row gone from
 * the query closes its current version and gets a new current version marked dbt_is_deleted = 'True'; a row that
 * comes back closes that one and opens a version marked 'False' again.
 */
public final class SnapshotJob implements NodeJob {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    /** dbt's meta columns, by their default names, in the order a snapshot table holds them. */
    private static final List<String> META = List.of("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to");
    private static final String CHANGE_TS = "dbt_change_ts";
    private static final String KEY_PREFIX = "dbt_unique_key_";
    private final CompiledNode node;
    private final Adapter adapter;
    private final String strategy;
    private final List<String> keys;
    private final String updatedAt;
    private final Object checkCols;
    private final boolean invalidateDeletes;
    /** hard_deletes: new_record: deletions are recorded as versions of their own. */
    private final boolean newRecord;
    /** The name of the dbt_is_deleted column in this snapshot's table. */
    private final String isDeletedName;
    private final String runTimestamp;
    /** Default meta column name -> the name it has in this snapshot's table. */
    private final Map<String, String> meta = new LinkedHashMap<>();
    /** dbt_valid_to_current: the SQL value of a current version's valid-to, or null (null valid-to). */
    private final String validToCurrent;

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
        String hardDeletes = hd == null ? null : String.valueOf(hd).toLowerCase(Locale.ROOT);
        if (hardDeletes != null && !hardDeletes.equals("ignore") && !hardDeletes.equals("invalidate") && !hardDeletes.equals("new_record")) {
            throw new ConfigException("snapshot '" + node.name() + "': hard_deletes is '" + hd + "'; dbt knows ignore, invalidate "
                    + "and new_record", where);
        }
        this.newRecord = "new_record".equals(hardDeletes);
        this.invalidateDeletes = Configs.bool(c.get("invalidate_hard_deletes"), false) || "invalidate".equals(hardDeletes);
        for (String m : META) meta.put(m, adapter.foldUnquoted(m));
        String deletedName = adapter.foldUnquoted("dbt_is_deleted");
        if (c.get("snapshot_meta_column_names") instanceof Map<?, ?> names) {
            for (Map.Entry<?, ?> e : names.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("dbt_is_deleted")) {
                    if (e.getValue() != null) deletedName = adapter.foldUnquoted(String.valueOf(e.getValue()));
                    continue;
                }
                if (!meta.containsKey(key)) {
                    throw new ConfigException("snapshot '" + node.name() + "': snapshot_meta_column_names has '" + key
                            + "', which is not one of " + META + " or dbt_is_deleted", where);
                }
                // Written unquoted in dbt's SQL, so folded as the warehouse folds unquoted names.
                if (e.getValue() != null) meta.put(key, adapter.foldUnquoted(String.valueOf(e.getValue())));
            }
        } else if (c.get("snapshot_meta_column_names") != null) {
            throw new ConfigException("snapshot '" + node.name() + "': snapshot_meta_column_names must be a mapping", where);
        }
        this.isDeletedName = deletedName;
        Object current = c.get("dbt_valid_to_current");
        this.validToCurrent = current == null || String.valueOf(current).isBlank() ? null : String.valueOf(current);
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
            List<String> keyExprs = keys.stream().map(this::keyExpr).toList();
            String select = "select src.*, " + scdId(keyExprs, changedAt) + " as " + col("dbt_scd_id") + ", " + changedAt + " as "
                    + col("dbt_updated_at") + ", " + changedAt + " as " + col("dbt_valid_from") + ", " + currentValidTo() + " as "
                    + col("dbt_valid_to") + (newRecord ? ", " + flag(false) + " as " + q(isDeletedName) : "") + " from (\n"
                    + node.compiledSql() + "\n) src";
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

    /** A key over the query's (or the table's) columns, unqualified: a column name, or dbt's SQL expression as written. */
    private String keyExpr(String key) {
        return PLAIN.matcher(key).matches() ? q(key) : "(" + key + ")";
    }

    private String col(String metaName) {
        return q(meta.get(metaName));
    }

    /** A current version's valid-to: null, or dbt_valid_to_current. */
    private String currentValidTo() {
        return "cast(" + (validToCurrent == null ? "null" : validToCurrent) + " as " + adapter.timestampType() + ")";
    }

    /** dbt's dbt_is_deleted value: the text 'True' or 'False', as dbt writes it. */
    private String flag(boolean deleted) {
        return "cast('" + (deleted ? "True" : "False") + "' as " + adapter.stringType() + ")";
    }

    /** Which versions of the table are current, over its columns unqualified (or prefixed). */
    private String isCurrent(String prefix) {
        String validTo = prefix + col("dbt_valid_to");
        return validToCurrent == null ? validTo + " is null" : "(" + validTo + " is null or " + validTo + " = " + currentValidTo() + ")";
    }

    private long update(Session s, Relation target, Swap swap) {
        List<ColumnInfo> targetCols = s.columns(target);
        List<String> missing = META.stream().map(meta::get)
                .filter(m -> targetCols.stream().noneMatch(t -> t.name().equalsIgnoreCase(m))).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("Snapshot target is missing configured columns: " + missing + " (snapshot '"
                    + node.name() + "', table " + target.display() + "); snapshot_meta_column_names must name the columns "
                    + "the table was built with, or rebuild it", new SourceLocation(node.node().file(), node.node().lineOffset() + 1, 0));
        }
        Relation staging = Swap.staging(target, "s");
        Relation changes = Swap.staging(target, "c");
        Relation deleted = Swap.staging(target, "d");
        Relation tombstones = Swap.staging(target, "t");
        List<Relation> temporary = List.of(staging, changes, deleted, tombstones);
        for (Relation r : temporary) swap.dropIfExists(s, r);
        List<String> keyCols = new ArrayList<>();
        StringBuilder keySelect = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            keyCols.add(KEY_PREFIX + (i + 1));
            keySelect.append(", ").append(keyExpr(keys.get(i))).append(" as ").append(q(keyCols.get(i)));
        }
        List<String> targetKeys = keys.stream().map(this::keyExpr).toList();
        s.execute(adapter.createTableSql(staging, "select src.*, " + changeExpr("src") + " as " + CHANGE_TS + keySelect
                + " from (\n" + node.compiledSql() + "\n) src"));
        try {
            List<String> sourceCols = new ArrayList<>();
            for (ColumnInfo c : s.columns(staging)) if (!internal(c.name())) sourceCols.add(c.name());
            List<String> statements = new ArrayList<>();
            for (ColumnInfo c : s.columns(staging)) {
                if (internal(c.name())) continue;
                if (targetCols.stream().noneMatch(t -> t.name().equalsIgnoreCase(c.name()))) {
                    statements.add(adapter.addColumnSql(target, c.name(), c.dataType()));
                }
            }
            boolean hasDeletedColumn = targetCols.stream().anyMatch(t -> t.name().equalsIgnoreCase(isDeletedName));
            if (newRecord && !hasDeletedColumn) {
                // A table built before hard_deletes was new_record gets the column, null in its rows, as dbt adds it.
                statements.add(adapter.addColumnSql(target, isDeletedName, adapter.stringType()));
            }
            // The current version of a row already recorded as deleted: it is not deleted again, and a row with its
            // key coming back replaces it whatever the strategy says of the row itself.
            String currentIsTombstone = "snap." + q(isDeletedName) + " = " + flag(true);
            String t = adapter.render(target);
            String st = adapter.render(staging);
            String stgKeyMatchesSnap = String.join(" and ", keyCols.stream().map(k -> "snap." + q(k) + " = stg." + q(k)).toList());
            String currentWithKeys = "(select *" + keySelect + " from " + t + " where " + isCurrent("") + ") as snap";
            String changed = strategy.equals("timestamp")
                    ? "stg." + CHANGE_TS + " > snap." + col("dbt_updated_at")
                    : String.join(" or ", checkColumns(sourceCols).stream()
                    .map(c -> "snap." + q(c) + " is distinct from stg." + q(c)).toList());
            if (newRecord) changed = "(" + changed + ") or " + currentIsTombstone;
            String keyList = String.join(", ", keyCols.stream().map(k -> "stg." + q(k)).toList());
            // The keys whose current version changed, with the time the new version starts.
            statements.add(adapter.createTableSql(changes, "select " + keyList + ", stg." + CHANGE_TS + " from " + st + " as stg join "
                    + currentWithKeys + " on " + stgKeyMatchesSnap + " where " + changed));
            if (invalidateDeletes || newRecord) {
                // The keys whose current version has no row in the query any more; computed before new versions go in.
                statements.add(adapter.createTableSql(deleted, "select " + String.join(", ", keyCols.stream().map(k -> "snap." + q(k)).toList())
                        + " from " + currentWithKeys + " where not exists (select 1 from " + st + " as stg where " + stgKeyMatchesSnap + ")"
                        + (newRecord ? " and (snap." + q(isDeletedName) + " is null or not " + currentIsTombstone + ")" : "")));
            }
            if (newRecord) {
                // The versions those deletions close, copied before they are closed: each becomes a deletion record.
                StringBuilder inDeleted = new StringBuilder();
                for (int i = 0; i < keys.size(); i++) {
                    inDeleted.append(i == 0 ? "" : " and ").append(targetKeys.get(i)).append(" = d.").append(q(keyCols.get(i)));
                }
                statements.add(adapter.createTableSql(tombstones, "select * from " + t + " where " + isCurrent("")
                        + " and exists (select 1 from " + adapter.render(deleted) + " as d where " + inDeleted + ")"));
            }
            // Close the current version of every changed row.
            statements.add(adapter.snapshotCloseSql(target, changes, targetKeys, keyCols, meta.get("dbt_valid_to"), isCurrent(""),
                    "c." + CHANGE_TS));
            if (invalidateDeletes || newRecord) {
                statements.add(adapter.snapshotCloseSql(target, deleted, targetKeys, keyCols, meta.get("dbt_valid_to"), isCurrent(""), nowTs()));
            }
            if (newRecord) {
                // Each deleted row's new current version: its last values, from the run's start, marked deleted.
                List<String> metaNames = new ArrayList<>(meta.values());
                metaNames.add(isDeletedName);
                List<String> dataCols = targetCols.stream().map(ColumnInfo::name)
                        .filter(n -> metaNames.stream().noneMatch(m -> m.equalsIgnoreCase(n))).map(this::q).toList();
                String data = String.join(", ", dataCols);
                statements.add("insert into " + t + " (" + data + ", " + col("dbt_scd_id") + ", " + col("dbt_updated_at") + ", "
                        + col("dbt_valid_from") + ", " + col("dbt_valid_to") + ", " + q(isDeletedName) + ") select " + data + ", "
                        + scdId(List.of(col("dbt_scd_id")), nowTs()) + ", " + nowTs() + ", " + nowTs() + ", " + currentValidTo() + ", "
                        + flag(true) + " from " + adapter.render(tombstones));
            }
            // Insert a current version for changed and new keys (those now without a current row). Inside the
            // subquery the table's columns are unqualified: the innermost scope wins over the staging row's.
            String cols = String.join(", ", sourceCols.stream().map(this::q).toList());
            String stgCols = String.join(", ", sourceCols.stream().map(c -> "stg." + q(c)).toList());
            StringBuilder hasCurrent = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) hasCurrent.append(targetKeys.get(i)).append(" = stg.").append(q(keyCols.get(i))).append(" and ");
            statements.add("insert into " + t + " (" + cols + ", " + col("dbt_scd_id") + ", " + col("dbt_updated_at") + ", "
                    + col("dbt_valid_from") + ", " + col("dbt_valid_to") + (newRecord ? ", " + q(isDeletedName) : "") + ") select "
                    + stgCols + ", " + scdId(keyCols.stream().map(k -> "stg." + q(k)).toList(), "stg." + CHANGE_TS) + ", stg."
                    + CHANGE_TS + ", stg." + CHANGE_TS + ", " + currentValidTo() + (newRecord ? ", " + flag(false) : "") + " from " + st + " as stg where not exists (select 1 from " + t
                    + " where " + hasCurrent + isCurrent("") + ")");
            s.transaction(statements);
            return count(s, target);
        } finally {
            for (Relation r : temporary) swap.dropIfExists(s, r);
        }
    }

    private static boolean internal(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return c.equals(CHANGE_TS) || c.startsWith(KEY_PREFIX);
    }

    private List<String> checkColumns(List<String> sourceCols) {
        if (checkCols instanceof String str && str.equalsIgnoreCase("all")) {
            return sourceCols.stream().filter(c -> keys.stream().noneMatch(k -> k.equalsIgnoreCase(c))).toList();
        }
        return Configs.strings(checkCols);
    }

    /** A version's id: its key and the time the version starts, as dbt's snapshot_hash_arguments. */
    private String scdId(List<String> keyValues, String ts) {
        StringBuilder sb = new StringBuilder("md5(");
        for (String k : keyValues) sb.append("coalesce(cast(").append(k).append(" as ").append(adapter.stringType()).append("), '') || '|' || ");
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
