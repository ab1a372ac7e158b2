package dev.sluice.databricks;

import dev.sluice.adapter.Connections;
import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Databricks SQL warehouses and clusters through the Databricks JDBC driver; profile keys as in
 * dbt-databricks (host, http_path, token, catalog, schema). The token goes in the connection properties,
 * never in the URL, so no driver message that quotes the URL can carry it.
 */
public final class DatabricksAdapter extends DatabricksDialect {
    private static final int LOGIN_SECONDS = 25;
    private final String url;
    private final Properties props = new Properties();
    private final String who;
    private final String description;
    private final List<String> secrets;

    public DatabricksAdapter(Target target) {
        String host = target.setting("host");
        String httpPath = target.setting("http_path");
        String token = target.setting("token");
        if (host == null || httpPath == null || token == null) {
            throw new ConfigException("a databricks target needs host, http_path, token and schema (target '" + target.name() + "')");
        }
        String bareHost = host.replaceFirst("^https?://", "").replaceFirst("/+$", "");
        StringBuilder u = new StringBuilder("jdbc:databricks://").append(bareHost).append(":443/default;transportMode=http;ssl=1")
                .append(";httpPath=").append(httpPath).append(";AuthMech=3");
        if (target.database() != null) u.append(";ConnCatalog=").append(target.database());
        u.append(";ConnSchema=").append(target.schema());
        this.url = u.toString();
        props.setProperty("UID", "token");
        props.setProperty("PWD", token);
        props.setProperty("UserAgentEntry", "sluice");
        // The driver logs failed connections with stack traces on stderr; the engine reports them in one line.
        props.setProperty("LogLevel", "OFF");
        this.who = "databricks host " + bareHost + " (http_path " + httpPath + ")";
        this.description = who + ", catalog " + (target.database() == null ? "(default)" : target.database())
                + ", schema " + target.schema();
        this.secrets = Connections.secretsOf(target);
    }

    @Override
    public String type() {
        return "databricks";
    }

    @Override
    public Session open() {
        Connection c = Connections.open(who, LOGIN_SECONDS, secrets, () -> {
            try {
                Class.forName("com.databricks.client.jdbc.Driver");
            } catch (ClassNotFoundException e) {
                throw new SQLException("the Databricks JDBC driver is not on the class path", e);
            }
            return DriverManager.getConnection(url, props);
        });
        return new DatabricksSession(this, c);
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
