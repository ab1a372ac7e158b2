package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import dev.sluice.sql.SqlSyntaxError;
import org.postgresql.util.PSQLException;
import java.util.Properties;

/** PostgreSQL through its JDBC driver; profile keys as in dbt-postgres (host, port, user, password, dbname). */
public final class PostgresAdapter implements Adapter {
    private final String url;
    private final Properties props = new Properties();
    private final String description;

    /**
     * A schema is named without its database: PostgreSQL's schema DDL takes no database part (a session reaches
     * only its own database), where dbt-postgres passes database=target's too, e.g. a snapshot's target_database.
     */
    @Override
    public String schemaName(Relation inSchema) {
        return quote(inSchema.schema());
    }

    /** dbt-postgres's query: what others were granted by the current role (the owner's own rights are not listed). */
    @Override
    public java.util.Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return java.util.Optional.of("select grantee, privilege_type from information_schema.role_table_grants "
                + "where grantor = current_role and grantee <> current_role and table_schema = " + stringLiteral(r.schema())
                + " and table_name = " + stringLiteral(r.identifier()));
    }

    @Override
    public java.util.Optional<java.util.List<String>> grantOf(java.util.Map<String, Object> row) {
        Object privilege = row.get("privilege_type"), grantee = row.get("grantee");
        if (privilege == null || grantee == null) return java.util.Optional.empty();
        return java.util.Optional.of(java.util.List.of(privilege.toString(), grantee.toString()));
    }

    /** PUBLIC is the keyword for every role, not a role: quoted it would name one that does not exist. */
    @Override
    public java.util.Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        String who = grantee.equalsIgnoreCase("public") ? "public" : quote(grantee);
        return java.util.Optional.of("revoke " + privilege + " on " + render(r) + " from " + who);
    }

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

    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Session open() {
        try {
            // The driver by name, not DriverManager, which would initialise every driver on the class path.
            Connection c = DRIVER.connect(url, props);
            return new PostgresSession(this, c);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String narrowToIntegerSql(Relation table, String column) {
        return "alter table " + render(table) + " alter column " + quote(column) + " type integer";
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

    /**
     * PostgreSQL parses a statement completely before it looks up any table, and reports syntax errors with
     * their own SQLSTATE, so PREPARE tells a syntax error from a missing relation without running anything.
     */
    @Override
    public Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        if (!(session.raw() instanceof JdbcSession js)) return Optional.empty();
        try (Statement st = js.connection().createStatement()) {
            SqlLog.sent(type(), "prepare sluice_syntax_check as " + sql);
            st.execute("prepare sluice_syntax_check as " + sql);
            SqlLog.sent(type(), "deallocate sluice_syntax_check");
            st.execute("deallocate sluice_syntax_check");
            return Optional.empty();
        } catch (SQLException e) {
            if (!"42601".equals(e.getSQLState())) return Optional.empty();
            int line = 0;
            int column = 0;
            if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
                int pos = pe.getServerErrorMessage().getPosition() - "prepare sluice_syntax_check as ".length();
                if (pos > 0 && pos <= sql.length()) {
                    String before = sql.substring(0, pos - 1);
                    line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                    column = pos - before.lastIndexOf('\n') - 1;
                }
            }
            String msg = e.getMessage().lines().findFirst().orElse("syntax error");
            return Optional.of(new SqlSyntaxError(msg, line, column));
        }
    }

    /** PostgreSQL enforces all of dbt's constraint types, as dbt-postgres declares; its DDL is transactional. */
    @Override
    public ConstraintSupport constraintSupport(String type) {
        return ConstraintSupport.ENFORCED;
    }

    @Override
    public boolean transactionalDdl() {
        return true;
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
