package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB sessions bulk-append by handing the rows over as Arrow batches (Arrow's C data interface) to one
 * insert-select, which writes column chunks directly instead of binding one INSERT per row.
 */
public class DuckDbSession extends JdbcSession {
    private final DuckDBConnection duck;
    private final BufferAllocator arrowMemory;

    /** @param arrowMemory the appends' batches, from {@link #newArrowMemory()}; owned by the caller */
    public DuckDbSession(Adapter adapter, DuckDBConnection connection, BufferAllocator arrowMemory) {
        super(adapter, connection);
        this.duck = connection;
        this.arrowMemory = arrowMemory;
    }

    /**
     * dbt-duckdb's catalog: duckdb_tables(), duckdb_views() and duckdb_columns(), which hold the comments
     * persist_docs writes; DuckDB has no owners. A relation without a database is in the current one.
     */
    @Override
    public Optional<Map<String, CatalogRelation>> catalog(Relation inSchema) {
        String db = inSchema.database();
        return Optional.of(catalogQuery("""
                with rels as (
                    select database_name, schema_name, table_name, 'BASE TABLE' as table_type, comment
                    from duckdb_tables() where not temporary
                    union all
                    select database_name, schema_name, view_name, 'VIEW', comment
                    from duckdb_views() where not internal and not temporary)
                select r.table_name, r.table_type, r.comment, null,
                       c.column_name, c.column_index, c.data_type, c.comment
                from rels r
                join duckdb_columns() c on c.database_name = r.database_name and c.schema_name = r.schema_name
                    and c.table_name = r.table_name
                where r.database_name = coalesce(?, current_database()) and r.schema_name = ?
                order by r.table_name, c.column_index""", java.util.Arrays.asList(db, inSchema.schema())));
    }

    @Override
    public long append(Relation r, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        checkShape(columns, types);
        // The batches fill every column in table order; other shapes take the INSERT path, which names columns.
        List<Column> table;
        try {
            table = tableColumns(r);
        } catch (SQLException e) {
            throw error(e);
        }
        if (!sameColumns(table, columns)) return super.append(r, columns, types, rows);
        List<ArrowBatches.Column> shape = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = table.get(i);
            shape.add(new ArrowBatches.Column(columns.get(i), types.get(i), c.precision(), c.scale()));
        }
        String view = "sluice_append_rows";
        String insert = "insert into " + adapter.render(r) + " select * from " + view;
        return inTransaction(() -> {
            // The rows go to DuckDB as Arrow batches read by one insert-select: DuckDB's appender took each text
            // value through its own call and cost about twice the CPU (bench/README.md, `gen`, 2026-12-02 12:10).
            try (ArrowArrayStream stream = newStream(arrowMemory);
                 Statement st = track(connection.createStatement())) {
                ArrowBatches batches = new ArrowBatches(arrowMemory, shape, rows);
                export(arrowMemory, batches, stream);
                duck.registerArrowStream(view, stream);
                SqlLog.sent(adapter.type(), insert);
                try {
                    st.execute(insert);
                } catch (SQLException e) {
                    // The rows' own exception (a stopped load, a value of the wrong type), not DuckDB's message of it.
                    // The view goes with the rollback.
                    if (batches.failure() != null) throw batches.failure();
                    throw e;
                }
                SqlLog.sent(adapter.type(), "drop view " + view);
                st.execute("drop view " + view);
                return batches.count();
            }
        });
    }

    /** Memory for the Arrow batches of a database's sessions. */
    public static BufferAllocator newArrowMemory() {
        return new RootAllocator();
    }

    /** Arrow's memory needs java.nio opened to it: engine.jar's manifest does that for {@code java -jar}. */
    private static ArrowArrayStream newStream(BufferAllocator allocator) {
        try {
            return ArrowArrayStream.allocateNew(allocator);
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("appending to DuckDB needs Arrow's off-heap memory: start Java with"
                    + " --add-opens=java.base/java.nio=ALL-UNNAMED (bin/engine and java -jar engine.jar do)", e);
        }
    }

    /** The export loads Arrow's JNI library, which arrow-c-data ships for fewer platforms than Java runs on. */
    private static void export(BufferAllocator allocator, ArrowBatches batches, ArrowArrayStream stream) {
        try {
            Data.exportArrayStream(allocator, batches, stream);
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("appending to DuckDB needs Arrow's C data library (arrow-c-data), which has"
                    + " none for " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + " (it ships Linux x86_64 and aarch64, macOS x86_64 and aarch64, Windows x86_64)", e);
        }
    }

    /** A table column; precision and scale are the decimal's, or -1 for other types. */
    private record Column(String name, int precision, int scale) {
    }

    private List<Column> tableColumns(Relation r) throws SQLException {
        String sql = "select column_name, data_type, numeric_scale, numeric_precision from information_schema.columns"
                + " where table_schema = ? and table_name = ?"
                + (r.database() == null ? "" : " and table_catalog = ?") + " order by ordinal_position";
        SqlLog.sent(adapter.type(), sql, r.database() == null ? List.of(r.schema(), r.identifier())
                : List.of(r.schema(), r.identifier(), r.database()));
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, r.schema());
            ps.setString(2, r.identifier());
            if (r.database() != null) ps.setString(3, r.database());
            List<Column> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean decimal = rs.getString(2).toUpperCase(Locale.ROOT).startsWith("DECIMAL");
                    out.add(new Column(rs.getString(1), decimal ? rs.getInt(4) : -1, decimal ? rs.getInt(3) : -1));
                }
            }
            return out;
        }
    }

    private static boolean sameColumns(List<Column> table, List<String> columns) {
        if (table.size() != columns.size()) return false;
        for (int i = 0; i < columns.size(); i++) {
            if (!table.get(i).name().equalsIgnoreCase(columns.get(i))) return false;
        }
        return true;
    }
}
