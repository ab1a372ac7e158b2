package dev.sluice.golden;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session without a warehouse: logs the statements a materialization runs, and answers questions about
 * relations from a script, so the SQL of every dialect can be checked without a server.
 */
final class RecordingSession implements Session {
    private final Adapter adapter;
    private final Map<String, RelationKind> existing;
    private final Map<String, List<ColumnInfo>> columns;
    private final List<String> log = new ArrayList<>();

    /** Both maps are keyed by relation identifier. */
    RecordingSession(Adapter adapter, Map<String, RelationKind> existing, Map<String, List<ColumnInfo>> columns) {
        this.adapter = adapter;
        this.existing = existing;
        this.columns = columns;
    }

    String transcript() {
        return fixed(String.join(";\n\n", log) + ";\n");
    }

    private static final java.util.regex.Pattern RUN_TAG = java.util.regex.Pattern.compile("__sluice_([tbiscd])[0-9a-f]{8}");

    /**
     * Temporary relations carry a tag of the engine process; the frozen SQL names them by kind, as the
     * transcript must not change from run to run.
     */
    static String fixed(String sql) {
        return RUN_TAG.matcher(sql).replaceAll(m -> "__sluice_" + switch (m.group(1)) {
            case "t" -> "tmp";
            case "b" -> "backup";
            case "i" -> "incr";
            case "c" -> "snap_changes";
            case "d" -> "snap_deleted";
            default -> "snap";
        });
    }

    @Override
    public void execute(String sql) {
        log.add(sql);
    }

    /** What a grants listing (SHOW GRANTS, PostgreSQL's role_table_grants) answers; none by default. */
    private List<Map<String, Object>> grants = List.of();

    RecordingSession withGrants(List<Map<String, Object>> rows) {
        this.grants = rows;
        return this;
    }

    /**
     * Queries read (row counts); they are not part of what a materialization writes, except the grants listing,
     * shown because what is revoked follows from it.
     */
    @Override
    public List<Map<String, Object>> query(String sql) {
        if (sql.startsWith("show grants") || sql.contains("role_table_grants")) {
            log.add("-- reads the grants held: " + sql);
            return grants;
        }
        return List.of(Map.of("n", 0L));
    }

    @Override
    public void transaction(List<String> statements) {
        log.add("-- one transaction of " + statements.size() + " statement(s):\n" + statements.get(0));
        log.addAll(statements.subList(1, statements.size()));
    }

    @Override
    public Optional<RelationKind> relationKind(Relation relation) {
        return Optional.ofNullable(existing.get(fixed(relation.identifier())));
    }

    @Override
    public List<ColumnInfo> columns(Relation relation) {
        return columns.getOrDefault(fixed(relation.identifier()), List.of());
    }

    @Override
    public long load(Relation relation, CsvTable table, Map<String, String> columnTypes) {
        List<String> casts = new ArrayList<>();
        for (String c : table.columns()) casts.add(columnTypes.get(c));
        if (adapter instanceof DatabricksDialect d) {
            log.add(d.insertLiteralsSql(relation, table.columns(), table.types(), casts, table.rows()));
        } else {
            log.add("-- batched prepared statement, " + table.rows().size() + " row(s) bound:\n"
                    + adapter.insertValuesSql(relation, table.columns(), casts));
        }
        return table.rows().size();
    }

    @Override
    public long append(Relation relation, List<String> cols, List<ColumnType> types, Iterator<List<Object>> rows) {
        throw new UnsupportedOperationException("not used by materializations");
    }

    @Override
    public void close() {
    }
}
