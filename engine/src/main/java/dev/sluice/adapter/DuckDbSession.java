package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB sessions bulk-append through the native appender, which writes column chunks directly instead of
 * binding one INSERT per row; it is one to two orders of magnitude faster than batched INSERTs.
 */
public class DuckDbSession extends JdbcSession {
    private final DuckDBConnection duck;

    public DuckDbSession(Adapter adapter, DuckDBConnection connection) {
        super(adapter, connection);
        this.duck = connection;
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
        // The appender fills every column in table order; other shapes take the INSERT path, which names columns.
        List<Column> table;
        try {
            table = tableColumns(r);
        } catch (SQLException e) {
            throw error(e);
        }
        if (!sameColumns(table, columns)) return super.append(r, columns, types, rows);
        int[] scales = table.stream().mapToInt(Column::scale).toArray();
        return inTransaction(() -> {
            // DuckDB's JDBC driver begins the transaction lazily at the next statement, and the appender
            // issues none; without this the appender would auto-commit and a failed stream could not roll back.
            try (Statement st = track(connection.createStatement())) {
                SqlLog.sent(adapter.type(), "select 1");
                st.execute("select 1");
            }
            long n = 0;
            try (DuckDBAppender app = r.database() == null
                    ? duck.createAppender(r.schema(), r.identifier())
                    : duck.createAppender(r.database(), r.schema(), r.identifier())) {
                while (rows.hasNext()) {
                    List<Object> row = checkRow(rows.next(), columns.size(), n);
                    app.beginRow();
                    for (int i = 0; i < row.size(); i++) put(app, types.get(i), row.get(i), columns.get(i), scales[i]);
                    app.endRow();
                    n++;
                }
                app.flush();
            }
            return n;
        });
    }

    /** A table column; scale is the decimal scale, or -1 for other types. */
    private record Column(String name, int scale) {
    }

    private List<Column> tableColumns(Relation r) throws SQLException {
        String sql = "select column_name, data_type, numeric_scale from information_schema.columns"
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
                    out.add(new Column(rs.getString(1), decimal ? rs.getInt(3) : -1));
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

    /** The appender checks Java types against the column's type strictly, so values are widened here. */
    private static void put(DuckDBAppender app, ColumnType type, Object v, String column, int scale) throws SQLException {
        if (v == null) {
            app.appendNull();
            return;
        }
        switch (type) {
            case BIGINT -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    app.append(((Number) v).longValue());
                    return;
                }
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    app.append(n.doubleValue());
                    return;
                }
            }
            case DECIMAL -> {
                BigDecimal d = v instanceof BigDecimal b ? b
                        : v instanceof Long || v instanceof Integer ? BigDecimal.valueOf(((Number) v).longValue())
                        : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
                        : null;
                if (d != null) {
                    // The appender wants the column's exact scale; rounding matches what a cast would do.
                    app.append(scale < 0 || d.scale() == scale ? d : d.setScale(scale, RoundingMode.HALF_UP));
                    return;
                }
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    app.append(b.booleanValue());
                    return;
                }
            }
            case DATE -> {
                if (v instanceof LocalDate d) {
                    app.append(d);
                    return;
                }
            }
            case TIMESTAMP -> {
                if (v instanceof LocalDateTime t) {
                    app.append(t);
                    return;
                }
                if (v instanceof LocalDate d) {
                    app.append(d.atStartOfDay());
                    return;
                }
            }
            case TEXT -> {
                app.append(v.toString());
                return;
            }
        }
        throw new IllegalArgumentException("column " + column + " is " + type + " but got a "
                + v.getClass().getSimpleName() + ": " + v);
    }
}
