package dev.sluice.databricks;

import dev.sluice.adapter.Connections;
import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.DatabricksSessionBase;
import dev.sluice.adapter.JdbcSession;
import dev.sluice.adapter.SqlLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Databricks session over JDBC; auto-commit stays on, as the warehouse has no transactions to group. */
public class DatabricksSession extends DatabricksSessionBase {
    private final Connection connection;

    public DatabricksSession(DatabricksDialect dialect, Connection connection) {
        super(dialect);
        this.connection = connection;
    }

    @Override
    public void execute(String sql) {
        SqlLog.sent("databricks", sql);
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw JdbcSession.error(e);
        }
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        SqlLog.sent("databricks", sql);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return JdbcSession.rows(rs);
        } catch (SQLException e) {
            throw JdbcSession.error(e);
        }
    }

    @Override
    public List<String> resultColumns(String sql) {
        SqlLog.sent("databricks", sql);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) names.add(rs.getMetaData().getColumnLabel(i));
            return names;
        } catch (SQLException e) {
            throw JdbcSession.error(e);
        }
    }

    @Override
    public void close() {
        Connections.closeQuietly(connection);
    }
}
