package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import dev.sluice.sql.SqlSyntaxError;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded default. One database instance per adapter; every session is a duplicate of its root
 * connection, which is how DuckDB lets several threads of one process share a file.
 */
public final class DuckDbAdapter implements Adapter {
    private static final Pattern LINE = Pattern.compile("LINE (\\d+):");
    private final String path;
    private final DuckDBConnection root;

    public DuckDbAdapter(Target target) {
        Object p = target.settings().get("path");
        this.path = p == null ? ":memory:" : p.toString();
        try {
            if (!path.equals(":memory:")) {
                Path parent = Path.of(path).toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            }
            Class.forName("org.duckdb.DuckDBDriver");
            Connection c = DriverManager.getConnection(path.equals(":memory:") ? "jdbc:duckdb:" : "jdbc:duckdb:" + path);
            this.root = c.unwrap(DuckDBConnection.class);
        } catch (SQLException e) {
            throw new DatabaseException("cannot open DuckDB database " + path + ": " + e.getMessage(), e);
        } catch (ClassNotFoundException | java.io.IOException e) {
            throw new ConfigException("cannot open DuckDB database " + path + ": " + e.getMessage());
        }
    }

    /** DuckDB keeps the case of unquoted identifiers (and compares them case-insensitively). */
    @Override
    public String foldUnquoted(String identifier) {
        return identifier;
    }

    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public Session open() {
        try {
            return new DuckDbSession(this, (DuckDBConnection) root.duplicate());
        } catch (SQLException e) {
            throw new DatabaseException("cannot open a DuckDB connection: " + e.getMessage(), e);
        }
    }

    @Override
    public String typeFor(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(38, 10)";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "varchar";
        };
    }

    /** DuckDB can parse without binding: json_serialize_sql reports syntax errors only. */
    @Override
    public Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        if (!(session instanceof JdbcSession js)) return Optional.empty();
        try (PreparedStatement ps = js.connection().prepareStatement(
                "select json_extract_string(j, '$.error')::boolean, json_extract_string(j, '$.error_message') "
                        + "from (select json_serialize_sql(?::varchar) as j)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) return Optional.empty();
                String msg = rs.getString(2);
                if (msg != null && msg.startsWith("Only SELECT")) return Optional.empty();
                Matcher m = msg == null ? null : LINE.matcher(msg);
                int line = m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
                String first = msg == null ? "syntax error" : msg.lines().findFirst().orElse(msg);
                return Optional.of(new SqlSyntaxError(first, line, 0));
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** DuckDB has no users or privileges; grants are a no-op there, as in dbt-duckdb. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "duckdb database " + path;
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException ignored) {
            // Nothing to do: the process is finishing with this database.
        }
    }
}
