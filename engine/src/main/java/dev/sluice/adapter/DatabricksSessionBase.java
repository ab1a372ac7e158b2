package dev.sluice.adapter;

import dev.sluice.error.DatabaseException;
import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Databricks sessions share whatever runs the SQL (a JDBC connection, or a local SparkSession):
 * metadata from SHOW and DESCRIBE, which work without Unity Catalog's information_schema, and loads as
 * multi-row INSERTs of literals.
 */
public abstract class DatabricksSessionBase implements Session {
    /** Rows per INSERT: statements stay well under the warehouse's size limit. */
    private static final int BATCH = 500;
    protected final DatabricksDialect dialect;

    protected DatabricksSessionBase(DatabricksDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Databricks has no multi-statement transactions: the statements run in order, each atomic on its own.
     * The engine's statement lists are ordered so that a failure part-way leaves readable tables.
     */
    @Override
    public void transaction(List<String> statements) {
        statements.forEach(this::execute);
    }

    private String schemaName(Relation r) {
        return r.database() == null ? dialect.quote(r.schema()) : dialect.quote(r.database()) + "." + dialect.quote(r.schema());
    }

    @Override
    public Optional<RelationKind> relationKind(Relation r) {
        String like = " like " + DatabricksDialect.string(r.identifier());
        List<Map<String, Object>> tables;
        try {
            tables = query("show tables in " + schemaName(r) + like);
        } catch (DatabaseException e) {
            if (!schemaExists(r)) return Optional.empty();
            throw e;
        }
        if (tables.stream().noneMatch(row -> named(row, r.identifier()))) return Optional.empty();
        boolean view = query("show views in " + schemaName(r) + like).stream().anyMatch(row -> named(row, r.identifier()));
        return Optional.of(view ? RelationKind.VIEW : RelationKind.TABLE);
    }

    /** Two statements for the whole schema: SHOW TABLES lists views too, SHOW VIEWS tells which they are. */
    @Override
    public Optional<Map<String, RelationKind>> listRelations(Relation r) {
        List<Map<String, Object>> tables;
        try {
            tables = query("show tables in " + schemaName(r));
        } catch (DatabaseException e) {
            if (!schemaExists(r)) return Optional.of(Map.of());
            throw e;
        }
        Map<String, RelationKind> out = new java.util.HashMap<>();
        for (Map<String, Object> row : tables) {
            List<Object> v = new ArrayList<>(row.values());
            boolean temporary = v.size() > 2 && Boolean.TRUE.equals(v.get(2));
            if (!temporary && v.size() > 1) out.put(storedName(String.valueOf(v.get(1)), true), RelationKind.TABLE);
        }
        if (!out.isEmpty()) {
            for (Map<String, Object> row : query("show views in " + schemaName(r))) {
                List<Object> v = new ArrayList<>(row.values());
                String name = v.size() > 1 ? storedName(String.valueOf(v.get(1)), true) : null;
                if (name != null && out.containsKey(name)) out.put(name, RelationKind.VIEW);
            }
        }
        return Optional.of(out);
    }

    /** Names in Databricks' catalog are case-insensitive and listed in lower case. */
    @Override
    public String storedName(String name, boolean quoted) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** SHOW ... LIKE matches case-insensitively and also lists temporary views; keep the persistent exact name. */
    private static boolean named(Map<String, Object> row, String name) {
        List<Object> v = new ArrayList<>(row.values());
        boolean temporary = v.size() > 2 && Boolean.TRUE.equals(v.get(2));
        return !temporary && v.size() > 1 && String.valueOf(v.get(1)).equalsIgnoreCase(name);
    }

    private boolean schemaExists(Relation r) {
        String in = r.database() == null ? "" : " in " + dialect.quote(r.database());
        return query("show schemas" + in + " like " + DatabricksDialect.string(r.schema())).stream()
                .anyMatch(row -> String.valueOf(row.values().iterator().next()).equalsIgnoreCase(r.schema()));
    }

    /** DESCRIBE lists the columns first, then partitioning and details after an empty or '#' line. */
    @Override
    public List<ColumnInfo> columns(Relation r) {
        List<ColumnInfo> out = new ArrayList<>();
        for (Map<String, Object> row : query("describe table " + dialect.render(r))) {
            List<Object> v = new ArrayList<>(row.values());
            String name = v.get(0) == null ? "" : v.get(0).toString().strip();
            if (name.isEmpty() || name.startsWith("#")) break;
            out.add(new ColumnInfo(name, String.valueOf(v.get(1)).toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    @Override
    public long load(Relation r, CsvTable table, Map<String, String> columnTypes) {
        List<String> casts = new ArrayList<>();
        for (String c : table.columns()) casts.add(JdbcSession.typeOverride(columnTypes, c));
        return insert(r, table.columns(), table.types(), casts, table.rows().iterator());
    }

    /** Not all or nothing here: without transactions, a failed stream leaves the batches already inserted. */
    @Override
    public long append(Relation r, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        JdbcSession.checkShape(columns, types);
        List<String> casts = new ArrayList<>();
        columns.forEach(c -> casts.add(null));
        return insert(r, columns, types, casts, rows);
    }

    private long insert(Relation r, List<String> columns, List<ColumnType> types, List<String> casts, Iterator<List<Object>> rows) {
        long n = 0;
        List<List<Object>> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(JdbcSession.checkRow(rows.next(), columns.size(), n));
            n++;
            if (batch.size() == BATCH) {
                execute(dialect.insertLiteralsSql(r, columns, types, casts, batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) execute(dialect.insertLiteralsSql(r, columns, types, casts, batch));
        return n;
    }
}
