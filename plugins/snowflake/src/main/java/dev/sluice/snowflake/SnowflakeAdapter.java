package dev.sluice.snowflake;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ConstraintSupport;
import dev.sluice.adapter.Connections;
import dev.sluice.adapter.MergeSnapshots;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.adapter.SqlLog;
import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Snowflake through its JDBC driver; profile keys as in dbt-snowflake (account, user, password or
 * private_key_path with private_key_passphrase, authenticator, role, database, warehouse, schema, query_tag).
 * Identifiers are quoted only when they need it, as dbt-snowflake does by default, so names written
 * unquoted in models (which Snowflake folds to upper case) and names the engine generates agree.
 */
public final class SnowflakeAdapter implements Adapter {
    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    /** Reserved words that cannot stand unquoted as identifiers in Snowflake. */
    private static final Set<String> RESERVED = Set.of("ACCOUNT", "ALL", "ALTER", "AND", "ANY", "AS", "BETWEEN", "BY",
            "CASE", "CAST", "CHECK", "COLUMN", "CONNECT", "CONNECTION", "CONSTRAINT", "CREATE", "CROSS", "CURRENT",
            "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "DELETE", "DISTINCT",
            "DROP", "ELSE", "EXISTS", "FALSE", "FOLLOWING", "FOR", "FROM", "FULL", "GRANT", "GROUP", "GSCLUSTER",
            "HAVING", "ILIKE", "IN", "INCREMENT", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "ISSUE", "JOIN",
            "LATERAL", "LEFT", "LIKE", "LOCALTIME", "LOCALTIMESTAMP", "MINUS", "NATURAL", "NOT", "NULL", "OF", "ON",
            "OR", "ORDER", "ORGANIZATION", "QUALIFY", "REGEXP", "REVOKE", "RIGHT", "RLIKE", "ROW", "ROWS", "SAMPLE",
            "SCHEMA", "SELECT", "SET", "SOME", "START", "TABLE", "TABLESAMPLE", "THEN", "TO", "TRIGGER", "TRUE",
            "TRY_CAST", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN", "WHENEVER", "WHERE", "WITH");
    /** Bound on a login, so that `debug` against an unreachable account answers within half a minute. */
    private static final int LOGIN_SECONDS = 25;

    private final String url;
    private final Properties props = new Properties();
    private final String description;
    private final String who;
    private final String queryTag;
    private final List<String> secrets;

    public SnowflakeAdapter(Target target) {
        String account = target.setting("account");
        String user = target.setting("user");
        if (account == null || user == null || target.database() == null) {
            throw new ConfigException("a snowflake target needs account, user, database and schema (target '" + target.name() + "')");
        }
        String authenticator = target.setting("authenticator");
        String keyPath = target.setting("private_key_path");
        if (target.setting("password") == null && keyPath == null && authenticator == null) {
            throw new ConfigException("a snowflake target needs password, private_key_path or authenticator (target '"
                    + target.name() + "')");
        }
        String host = account.contains(".snowflakecomputing.") ? account : account + ".snowflakecomputing.com";
        this.url = "jdbc:snowflake://" + host + "/";
        props.setProperty("user", user);
        if (target.setting("password") != null) props.setProperty("password", target.setting("password"));
        if (keyPath != null) {
            props.setProperty("private_key_file", keyPath);
            if (target.setting("private_key_passphrase") != null) {
                props.setProperty("private_key_pwd", target.setting("private_key_passphrase"));
            }
        }
        if (authenticator != null) props.setProperty("authenticator", authenticator);
        if (authenticator != null && authenticator.equalsIgnoreCase("oauth") && target.setting("token") != null) {
            props.setProperty("token", target.setting("token"));
        }
        props.setProperty("db", target.database());
        props.setProperty("schema", target.schema());
        if (target.setting("warehouse") != null) props.setProperty("warehouse", target.setting("warehouse"));
        if (target.setting("role") != null) props.setProperty("role", target.setting("role"));
        props.setProperty("application", "sluice");
        // The driver logs failed logins with stack traces on stderr; the engine reports them in one line.
        props.setProperty("tracing", "OFF");
        props.setProperty("loginTimeout", String.valueOf(LOGIN_SECONDS - 5));
        props.setProperty("retryTimeout", String.valueOf(LOGIN_SECONDS - 5));
        props.setProperty("maxHttpRetries", "2");
        // JSON results: the default Arrow format needs java.nio opened to unnamed modules on Java 17.
        props.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
        this.queryTag = target.setting("query_tag");
        this.who = "snowflake account " + account + " as user " + user;
        this.description = who + " (database " + target.database() + ", schema " + target.schema()
                + (target.setting("warehouse") == null ? "" : ", warehouse " + target.setting("warehouse"))
                + (target.setting("role") == null ? "" : ", role " + target.setting("role")) + ")";
        this.secrets = Connections.secretsOf(target);
    }

    /** As dbt-snowflake declares: not_null is enforced, unique and keys are metadata, check is not accepted. */
    @Override
    public ConstraintSupport constraintSupport(String type) {
        return switch (type) {
            case "not_null" -> ConstraintSupport.ENFORCED;
            case "check" -> ConstraintSupport.NOT_SUPPORTED;
            default -> ConstraintSupport.NOT_ENFORCED;
        };
    }

    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    public Session open() {
        Connection c = Connections.open(who, LOGIN_SECONDS, secrets, () -> {
            try {
                Class.forName("net.snowflake.client.api.driver.SnowflakeDriver");
            } catch (ClassNotFoundException e) {
                throw new SQLException("the Snowflake JDBC driver is not on the class path", e);
            }
            Connection conn = DriverManager.getConnection(url, props);
            if (queryTag != null) {
                try (Statement st = conn.createStatement()) {
                    String tag = "alter session set query_tag = '" + queryTag.replace("\\", "\\\\").replace("'", "\\'") + "'";
                    SqlLog.sent("snowflake", tag);
                    st.execute(tag);
                }
            }
            return conn;
        });
        return new SnowflakeSession(this, c);
    }

    @Override
    public String quote(String identifier) {
        if (SIMPLE.matcher(identifier).matches() && !RESERVED.contains(identifier.toUpperCase(Locale.ROOT))) return identifier;
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** How Snowflake stores a name the engine writes: unquoted names fold to upper case. */
    String stored(String identifier) {
        return quote(identifier).startsWith("\"") ? identifier : identifier.toUpperCase(Locale.ROOT);
    }

    @Override
    public String typeFor(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "BOOLEAN";
            case BIGINT -> "NUMBER(38, 0)";
            case DOUBLE -> "FLOAT";
            case DECIMAL -> "NUMBER(38, 10)";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP_NTZ";
            case TEXT -> "VARCHAR";
        };
    }

    @Override
    public String timestampType() {
        return "timestamp_ntz";
    }

    /** A new name given unqualified would land in the session's current schema, so it is qualified. */
    @Override
    public String renameSql(Relation r, RelationKind kind, String newIdentifier) {
        return "alter " + kind.sql() + " " + render(r) + " rename to " + render(r.withIdentifier(newIdentifier));
    }

    /**
     * CREATE OR REPLACE is one atomic statement for tables and views alike (as dbt-snowflake builds them): the
     * old relation stays readable until it commits. A change of kind needs a drop first.
     */
    @Override
    public boolean replacesInPlace(RelationKind kind) {
        return true;
    }

    @Override
    public List<String> replaceInPlaceSql(Relation target, RelationKind kind, Optional<RelationKind> existing, String select) {
        List<String> out = new ArrayList<>();
        if (existing.isPresent() && existing.get() != kind) out.add(dropSql(target, existing.get()));
        out.add("create or replace " + kind.sql() + " " + render(target) + " as (\n" + select + "\n)");
        return out;
    }

    /**
     * Snowflake commits every DDL statement on its own, so renames cannot be grouped in a transaction;
     * SWAP WITH exchanges two tables in one atomic statement instead.
     */
    @Override
    public List<String> swapInSql(Relation target, Relation tmp, Relation backup, RelationKind kind, Optional<RelationKind> existing) {
        if (kind == RelationKind.TABLE && existing.isPresent() && existing.get() == RelationKind.TABLE) {
            return List.of("alter table " + render(target) + " swap with " + render(tmp), dropSql(tmp, RelationKind.TABLE));
        }
        List<String> out = new ArrayList<>();
        existing.ifPresent(k -> out.add(dropSql(target, k)));
        out.add(renameSql(tmp, kind, target.identifier()));
        return out;
    }

    @Override
    public String foldUnquoted(String identifier) {
        return identifier.toUpperCase(java.util.Locale.ROOT);
    }

    /** Snowflake's DELETE joins other tables with USING (aliases without AS, as in its reference). */
    @Override
    public String deleteMatchingSql(Relation target, Relation source, List<String> keys, List<String> predicates) {
        return "delete from " + render(target) + " dbt_internal_dest using " + render(source)
                + " dbt_internal_source where " + keyJoin("dbt_internal_dest", "dbt_internal_source", keys) + andAll(predicates);
    }

    @Override
    public String snapshotCloseSql(Relation target, Relation changes, List<String> keyExprs, List<String> changeKeys,
                                   String validTo, String isCurrent, String value) {
        return MergeSnapshots.close(this, target, changes, keyExprs, changeKeys, validTo, isCurrent, value);
    }

    /** Snowflake grants name the object type, and privileges go to roles. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.of("grant " + privilege + " on " + kind.sql() + " " + render(r) + " to role " + quote(grantee));
    }

    @Override
    public Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return Optional.of("show grants on " + kind.sql() + " " + render(r));
    }

    /** dbt-snowflake's reading of SHOW GRANTS: grants to roles, ownership left alone. */
    @Override
    public Optional<List<String>> grantOf(java.util.Map<String, Object> row) {
        Object privilege = dev.sluice.adapter.RowValues.get(row, "privilege"), grantee = dev.sluice.adapter.RowValues.get(row, "grantee_name");
        Object to = dev.sluice.adapter.RowValues.get(row, "granted_to");
        if (privilege == null || grantee == null || "OWNERSHIP".equalsIgnoreCase(privilege.toString())) return Optional.empty();
        if (to != null && !"ROLE".equalsIgnoreCase(to.toString())) return Optional.empty();
        return Optional.of(List.of(privilege.toString(), grantee.toString()));
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.of("revoke " + privilege + " on " + kind.sql() + " " + render(r) + " from role " + quote(grantee));
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
