package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** PostgreSQL through its JDBC driver; profile keys as in dbt-postgres (host, port, user, password, dbname). */
public final class PostgresAdapter implements Adapter {
    private final String url;
    private final Properties props = new Properties();
    private final String description;

    public PostgresAdapter(Target target) {
        String host = target.setting("host");
        String db = target.setting("dbname") != null ? target.setting("dbname") : target.setting("database");
        String user = target.setting("user");
        if (host == null || db == null || user == null) {
            throw new ConfigException("a postgres target needs host, user and dbname (target '" + target.name() + "')");
        }
        String port = target.setting("port") == null ? "5432" : target.setting("port");
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        props.setProperty("user", user);
        if (target.setting("password") != null) props.setProperty("password", target.setting("password"));
        if (target.setting("sslmode") != null) props.setProperty("sslmode", target.setting("sslmode"));
        props.setProperty("ApplicationName", "sluice");
        props.setProperty("connectTimeout", target.setting("connect_timeout") == null ? "10" : target.setting("connect_timeout"));
        this.description = "postgres " + user + "@" + host + ":" + port + "/" + db;
    }

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Session open() {
        try {
            Connection c = DriverManager.getConnection(url, props);
            return new PostgresSession(this, c);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String typeFor(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double precision";
            case DECIMAL -> "numeric";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "text";
        };
    }

    /** Views in PostgreSQL depend on what they read; dbt drops them with the relation and rebuilds them. */
    @Override
    public String dropSql(Relation r, RelationKind kind) {
        return "drop " + kind.sql() + " if exists " + render(r) + " cascade";
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // Connections are per session; nothing is held here.
    }
}
