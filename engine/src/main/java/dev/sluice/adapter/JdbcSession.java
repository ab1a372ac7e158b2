package dev.sluice.adapter;

import dev.sluice.error.DatabaseException;
import dev.sluice.seed.CsvTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
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

    @Override
    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    protected static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
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
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (String s : statements) st.execute(s);
                connection.commit();
            } catch (SQLException e) {
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

    @Override
    public Optional<RelationKind> relationKind(Relation r) {
        String sql = "select table_type from information_schema.tables where table_schema = ? and table_name = ?"
                + (r.database() == null ? "" : " and table_catalog = ?");
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
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
    public List<ColumnInfo> columns(Relation r) {
        String sql = "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?"
                + (r.database() == null ? "" : " and table_catalog = ?") + " order by ordinal_position";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
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

    /** Batched INSERTs; overridden columns are sent as text and cast by the warehouse. */
    @Override
    public long load(Relation r, CsvTable table, Map<String, String> columnTypes) {
        StringBuilder sql = new StringBuilder("insert into ").append(adapter.render(r)).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < table.columns().size(); i++) {
            String c = table.columns().get(i);
            sql.append(i > 0 ? ", " : "").append(adapter.quote(c));
            String cast = typeOverride(columnTypes, c);
            values.append(i > 0 ? ", " : "").append(cast == null ? "?" : "cast(? as " + cast + ")");
        }
        sql.append(") values (").append(values).append(')');
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
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

    protected static DatabaseException error(SQLException e) {
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
