package dev.sluice.snowflake;

import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.JdbcSession;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.SqlLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Snowflake keeps an information_schema per database and stores unquoted names in upper case, so lookups
 * go to the relation's database and compare the stored form of each name.
 */
public class SnowflakeSession extends JdbcSession {
    private final SnowflakeAdapter snowflake;

    public SnowflakeSession(SnowflakeAdapter adapter, Connection connection) {
        super(adapter, connection);
        this.snowflake = adapter;
    }

    private String schemaTable(Relation r, String view) {
        return (r.database() == null ? "" : adapter.quote(r.database()) + ".") + "information_schema." + view;
    }

    @Override
    public Optional<RelationKind> relationKind(Relation r) {
        String sql = "select table_type from " + schemaTable(r, "tables") + " where table_schema = ? and table_name = ?";
        SqlLog.sent(adapter.type(), sql, List.of(snowflake.stored(r.schema()), snowflake.stored(r.identifier())));
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, snowflake.stored(r.schema()));
            ps.setString(2, snowflake.stored(r.identifier()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(rs.getString(1).toUpperCase(Locale.ROOT).contains("VIEW") ? RelationKind.VIEW : RelationKind.TABLE);
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    @Override
    public Optional<java.util.Map<String, RelationKind>> listRelations(Relation r) {
        String sql = "select table_name, table_type from " + schemaTable(r, "tables") + " where table_schema = ?";
        SqlLog.sent(adapter.type(), sql, List.of(snowflake.stored(r.schema())));
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, snowflake.stored(r.schema()));
            java.util.Map<String, RelationKind> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT).contains("VIEW") ? RelationKind.VIEW : RelationKind.TABLE);
                }
            }
            return Optional.of(out);
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /** The engine leaves plain names unquoted on Snowflake, which stores them in upper case. */
    @Override
    public String storedName(String identifier) {
        return snowflake.stored(identifier);
    }

    @Override
    public String storedName(String name, boolean quoted) {
        return quoted ? name : name.toUpperCase(Locale.ROOT);
    }

    /** Types are given with their precision, so that a column added from them (on_schema_change) keeps its scale. */
    @Override
    public List<ColumnInfo> columns(Relation r) {
        String sql = "select column_name, data_type, numeric_precision, numeric_scale from " + schemaTable(r, "columns")
                + " where table_schema = ? and table_name = ? order by ordinal_position";
        SqlLog.sent(adapter.type(), sql, List.of(snowflake.stored(r.schema()), snowflake.stored(r.identifier())));
        try (PreparedStatement ps = track(connection.prepareStatement(sql))) {
            ps.setString(1, snowflake.stored(r.schema()));
            ps.setString(2, snowflake.stored(r.identifier()));
            List<ColumnInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    if ("NUMBER".equalsIgnoreCase(type) && rs.getObject(3) != null) {
                        type = "NUMBER(" + rs.getInt(3) + ", " + rs.getInt(4) + ")";
                    } else if ("TEXT".equalsIgnoreCase(type)) {
                        type = "VARCHAR";
                    }
                    out.add(new ColumnInfo(rs.getString(1), type));
                }
            }
            return out;
        } catch (SQLException e) {
            throw error(e);
        }
    }
}
