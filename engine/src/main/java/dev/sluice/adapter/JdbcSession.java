package dev.sluice.adapter;

import dev.sluice.error.DatabaseException;
import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A Session over a JDBC connection, shared by the JDBC-based adapters. */
public class JdbcSession implements Session {
    private static final int BATCH = 2_000;
    protected final Connection connection;
    protected final Adapter adapter;

    public JdbcSession(Adapter adapter, Connection connection) {
        this.adapter = adapter;
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** The adapter's type (duckdb, postgres, ...), as statements are logged under. */
    public String warehouse() {
        return adapter.type();
    }

    /** The statement this session runs or ran last, for {@link #cancel()} from another thread (Ctrl-C). */
    private volatile Statement current;

    protected <T extends Statement> T track(T statement) {
        current = statement;
        return statement;
    }

    /**
     * Cancels the statement running now, from any thread: the warehouse stops it and rolls back what it
     * did, and the thread that ran it gets an error and unwinds (its transaction is rolled back there).
     */
    @Override
    public void cancel() {
        Statement st = current;
        if (st == null) return;
        try {
            st.cancel();
        } catch (SQLException | RuntimeException alreadyClosed) {
            // A finished statement has nothing to cancel.
        }
    }

    @Override
    public void execute(String sql) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement())) {
            st.execute(sql);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement()); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public void query(String sql, RowSink sink) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement()); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> labels = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) labels.add(md.getColumnLabel(i));
            sink.columns(labels);
            Object[] values = new Object[n];
            while (rs.next()) {
                for (int i = 1; i <= n; i++) values[i - 1] = rs.getObject(i);
                sink.row(values);
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /** The columns a query gives, read from its metadata: an empty result still has them (agate tables do). */
    @Override
    public List<String> resultColumns(String sql) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement()); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) names.add(md.getColumnLabel(i));
            return names;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public List<ColumnInfo> resultColumnTypes(String sql) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement()); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<ColumnInfo> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) out.add(new ColumnInfo(md.getColumnLabel(i), md.getColumnTypeName(i)));
            return out;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public List<Map<String, Object>> queryTimes(String sql) {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement()); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), timeValue(rs, md, i));
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /**
     * A column's value, dates and times as java.time. The type name decides (PostgreSQL reports timestamptz as
     * TIMESTAMP in the JDBC type code); a zoned value is read as OffsetDateTime, a naive one as LocalDateTime.
     */
    private static Object timeValue(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
        int type = md.getColumnType(i);
        String name = String.valueOf(md.getColumnTypeName(i)).toLowerCase(Locale.ROOT);
        boolean zoned = type == Types.TIMESTAMP_WITH_TIMEZONE || name.equals("timestamptz") || name.contains("with time zone")
                || name.startsWith("timestamp_tz") || name.startsWith("timestamp_ltz");
        if (zoned) return rs.getObject(i, java.time.OffsetDateTime.class);
        if (type == Types.TIMESTAMP) return rs.getObject(i, LocalDateTime.class);
        if (type == Types.DATE) return rs.getObject(i, LocalDate.class);
        return rs.getObject(i);
    }

    public static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getObject(i));
            out.add(row);
        }
        return out;
    }

    @Override
    public void transaction(List<String> statements) {
        inTransaction(() -> {
            try (Statement st = track(connection.createStatement())) {
                for (String s : statements) {
                    SqlLog.sent(adapter.type(), s);
                    st.execute(s);
                }
            }
            return statements.size();
        });
    }

    @Override
    public long transactionCounted(List<String> statements, int counted) {
        if (statements.isEmpty()) return -1;
        long[] rows = {-1};
        inTransaction(() -> {
            try (Statement st = track(connection.createStatement())) {
                for (int i = 0; i < statements.size(); i++) {
                    if (i == counted) {
                        rows[0] = counted(statements.get(i));
                        continue;
                    }
                    SqlLog.sent(adapter.type(), statements.get(i));
                    st.execute(statements.get(i));
                }
            }
            return statements.size();
        });
        return rows[0];
    }

    @Override
    public Optional<RelationKind> relationKind(Relation r) {
        String sql = "select table_type from information_schema.tables where table_schema = ? and table_name = ?"
                + (r.database() == null ? "" : " and table_catalog = ?");
        SqlLog.sent(adapter.type(), sql);
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, r.schema());
            ps.setString(2, r.identifier());
            if (r.database() != null) ps.setString(3, r.database());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String t = rs.getString(1).toUpperCase(Locale.ROOT);
                return Optional.of(t.contains("VIEW") ? RelationKind.VIEW : RelationKind.TABLE);
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public Optional<Map<String, RelationKind>> listRelations(Relation r) {
        String sql = "select table_name, table_type from information_schema.tables where table_schema = ?"
                + (r.database() == null ? "" : " and table_catalog = ?");
        SqlLog.sent(adapter.type(), sql, r.database() == null ? List.of(r.schema()) : List.of(r.schema(), r.database()));
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, r.schema());
            if (r.database() != null) ps.setString(2, r.database());
            Map<String, RelationKind> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString(2).toUpperCase(Locale.ROOT);
                    out.put(rs.getString(1), t.contains("VIEW") ? RelationKind.VIEW : RelationKind.TABLE);
                }
            }
            return Optional.of(out);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /**
     * Runs a catalog query binding params in order, whose rows are table name, table type, table comment,
     * owner, column name, column index, column type and column comment, ordered by table and column index.
     */
    protected Map<String, CatalogRelation> catalogQuery(String sql, List<String> params) {
        SqlLog.sent(adapter.type(), sql, params);
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            for (int i = 0; i < params.size(); i++) ps.setString(i + 1, params.get(i));
            Map<String, String[]> tables = new LinkedHashMap<>();
            Map<String, List<CatalogRelation.Column>> columns = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    tables.putIfAbsent(table, new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                    columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new CatalogRelation.Column(
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8)));
                }
            }
            Map<String, CatalogRelation> out = new LinkedHashMap<>();
            tables.forEach((t, m) -> out.put(t, new CatalogRelation(m[0], m[1], m[2], columns.get(t))));
            return out;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /** JDBC's update count: DuckDB and PostgreSQL report the rows a CREATE TABLE AS wrote. */
    @Override
    public long executeCounted(String sql) {
        try {
            return counted(sql);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    private long counted(String sql) throws SQLException {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = track(connection.createStatement())) {
            boolean rows = st.execute(sql);
            if (rows) {
                // DuckDB answers some statements with a one-row "Count" result instead of an update count.
                try (ResultSet rs = st.getResultSet()) {
                    if (rs.getMetaData().getColumnCount() == 1 && rs.next()) {
                        Object v = rs.getObject(1);
                        if (v instanceof Number n && !rs.next()) return n.longValue();
                    }
                }
                return -1;
            }
            return st.getLargeUpdateCount();
        }
    }

    @Override
    public List<ColumnInfo> columns(Relation r) {
        String sql = "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?"
                + (r.database() == null ? "" : " and table_catalog = ?") + " order by ordinal_position";
        SqlLog.sent(adapter.type(), sql);
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, r.schema());
            ps.setString(2, r.identifier());
            if (r.database() != null) ps.setString(3, r.database());
            List<ColumnInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new ColumnInfo(rs.getString(1), rs.getString(2)));
            }
            return out;
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /**
     * Batched INSERTs; overridden columns are sent as text and cast by the warehouse. Without overrides the
     * rows go through {@link #append}, so each warehouse's bulk path serves seeds too.
     */
    @Override
    public long load(Relation r, CsvTable table, Map<String, String> columnTypes) {
        if (columnTypes.isEmpty()) return append(r, table.columns(), table.types(), table.rows().iterator());
        List<String> casts = new ArrayList<>();
        for (String c : table.columns()) casts.add(typeOverride(columnTypes, c));
        String sql = adapter.insertValuesSql(r, table.columns(), casts);
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            SqlLog.sent(adapter.type(), sql);
            try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
                int n = 0;
                for (List<Object> row : table.rows()) {
                    for (int i = 0; i < row.size(); i++) ps.setObject(i + 1, jdbcValue(row.get(i)));
                    ps.addBatch();
                    if (++n % BATCH == 0) ps.executeBatch();
                }
                ps.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw error(e);
        }
        return table.rows().size();
    }

    /** The portable path: batched INSERTs in one transaction. Warehouses with a bulk API override this. */
    @Override
    public long append(Relation r, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        checkShape(columns, types);
        List<String> casts = new ArrayList<>();
        columns.forEach(c -> casts.add(null));
        String sql = adapter.insertValuesSql(r, columns, casts);
        return inTransaction(() -> {
            long n = 0;
            SqlLog.sent(adapter.type(), sql);
            try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
                while (rows.hasNext()) {
                    List<Object> row = checkRow(rows.next(), columns.size(), n);
                    for (int i = 0; i < row.size(); i++) bind(ps, i + 1, types.get(i), row.get(i));
                    ps.addBatch();
                    if (++n % BATCH == 0) ps.executeBatch();
                }
                ps.executeBatch();
            }
            return n;
        });
    }

    /** A unit of work that may fail with SQLException; see {@link #inTransaction}. */
    @FunctionalInterface
    protected interface SqlWork {
        long run() throws SQLException;
    }

    /** Runs work with auto-commit off and commits it, or rolls back; restores the auto-commit mode. */
    protected long inTransaction(SqlWork work) {
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                long n = work.run();
                connection.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    protected static void checkShape(List<String> columns, List<ColumnType> types) {
        if (columns.isEmpty() || columns.size() != types.size()) {
            throw new IllegalArgumentException("append needs one type per column, got " + columns.size()
                    + " columns and " + types.size() + " types");
        }
    }

    protected static List<Object> checkRow(List<Object> row, int width, long index) {
        if (row.size() != width) {
            throw new IllegalArgumentException("row " + (index + 1) + " has " + row.size() + " values, expected " + width);
        }
        return row;
    }

    /** Binds with the setter for the declared type, so drivers need not guess from the Java class. */
    protected static void bind(PreparedStatement ps, int index, ColumnType type, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(index, sqlType(type));
            return;
        }
        switch (type) {
            case BIGINT -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    ps.setLong(index, ((Number) v).longValue());
                } else ps.setObject(index, jdbcValue(v));
            }
            case DOUBLE -> {
                if (v instanceof Number n) ps.setDouble(index, n.doubleValue());
                else ps.setObject(index, jdbcValue(v));
            }
            case DECIMAL -> {
                if (v instanceof BigDecimal d) ps.setBigDecimal(index, d);
                else if (v instanceof Long || v instanceof Integer) ps.setBigDecimal(index, BigDecimal.valueOf(((Number) v).longValue()));
                else ps.setObject(index, jdbcValue(v));
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) ps.setBoolean(index, b);
                else ps.setObject(index, jdbcValue(v));
            }
            case TEXT -> ps.setString(index, v.toString());
            case DATE, TIMESTAMP -> ps.setObject(index, jdbcValue(v));
        }
    }

    private static int sqlType(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Types.BOOLEAN;
            case BIGINT -> Types.BIGINT;
            case DOUBLE -> Types.DOUBLE;
            case DECIMAL -> Types.NUMERIC;
            case DATE -> Types.DATE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TEXT -> Types.VARCHAR;
        };
    }

    static String typeOverride(Map<String, String> columnTypes, String column) {
        for (Map.Entry<String, String> e : columnTypes.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) return e.getValue();
        }
        return null;
    }

    protected static Object jdbcValue(Object v) {
        if (v instanceof LocalDate d) return java.sql.Date.valueOf(d);
        if (v instanceof LocalDateTime t) return java.sql.Timestamp.valueOf(t);
        return v;
    }

    public static DatabaseException error(SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        return new DatabaseException(msg, e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection has nothing left to report.
        }
    }
}
