package dev.sluice.spark;

import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Target;
import org.apache.spark.sql.SparkSession;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Databricks dialect sent to a Spark cluster through Spark Connect (profile: type spark, method connect,
 * host, port, token, use_ssl, server_side_parameters): the SQL is the local adapter's, only the session
 * differs. The cluster's Connect server holds the catalog and the table format (Delta), so what the tables
 * are is its configuration, not the profile's.
 *
 * <p>Each adapter opens a Spark Connect session of its own (a server-side session: its SQL settings do not leak
 * into other clients) and releases it on close; the engine's threads share it, as the client is thread-safe.
 */
public final class SparkConnectAdapter extends DatabricksDialect {
    private static final Set<String> KEYS = Set.of("type", "method", "host", "port", "token", "use_ssl",
            "server_side_parameters", "schema", "threads", "database");
    private final SparkSession spark;
    private final String where;
    private final String version;

    public SparkConnectAdapter(Target target) {
        SourceLocation at = target.source() == null ? null : SourceLocation.of(target.source());
        Set<String> unknown = new TreeSet<>(target.settings().keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new ConfigException("target '" + target.name() + "' (spark, method connect) has keys it does not read: "
                    + unknown + "; it reads " + new TreeSet<>(KEYS), at);
        }
        String host = target.setting("host");
        if (host == null || host.isBlank()) {
            throw new ConfigException("target '" + target.name() + "' (spark, method connect) needs a 'host'", at);
        }
        int port = 15002;
        if (target.setting("port") != null) {
            try {
                port = Integer.parseInt(target.setting("port").trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("target '" + target.name() + "': port must be a number, got '" + target.setting("port") + "'", at);
            }
        }
        String token = target.setting("token");
        boolean ssl = Boolean.parseBoolean(target.setting("use_ssl"));
        // The connection string of Spark Connect clients; a token implies TLS there, so it is never sent in clear.
        StringBuilder url = new StringBuilder("sc://").append(host.replaceFirst("^sc://", "")).append(':').append(port).append('/');
        if (ssl) url.append(";use_ssl=true");
        if (token != null && !token.isBlank()) url.append(";token=").append(token);
        this.where = "spark connect sc://" + host + ":" + port + (ssl || token != null ? " (TLS)" : "");

        // The client retries an unreachable server for minutes with backoff; a plain connect tells at once.
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress(host.replaceFirst("^sc://", ""), port), 10_000);
        } catch (java.io.IOException e) {
            throw new DatabaseException("cannot reach the Spark Connect server of target '" + target.name() + "' at "
                    + where + ": " + e.getMessage() + " (is the cluster running? bin/spark-cluster status)", e);
        }
        var builder = org.apache.spark.sql.connect.SparkSession.builder().remote(url.toString());
        Object conf = target.settings().get("server_side_parameters");
        if (conf != null) {
            if (!(conf instanceof Map<?, ?> m)) {
                throw new ConfigException("target '" + target.name() + "': server_side_parameters must be a mapping of Spark settings", at);
            }
            m.forEach((k, v) -> builder.config(String.valueOf(k), String.valueOf(v)));
        }
        try {
            this.spark = ContextLoader.call(builder::create);
            // The client connects lazily: ask the server now, so a wrong host or a stopped cluster fails here, once.
            this.version = ContextLoader.call(spark::version);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new DatabaseException("cannot reach the Spark Connect server of target '" + target.name() + "' at "
                    + where + ": " + msg, e);
        }
    }

    @Override
    public String type() {
        return "spark";
    }

    @Override
    public Session open() {
        return new SparkSqlSession(this, spark);
    }

    /** A self-run Spark cluster's catalog has no privileges to grant; Databricks' has, through its own adapter. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    /** Nothing granted, so nothing to list or revoke (as on local Spark). */
    @Override
    public Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return Optional.empty();
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return where + ", spark " + version;
    }

    @Override
    public void close() {
        try {
            spark.close();
        } catch (java.io.IOException e) {
            // Releasing the server-side session failed (the server is gone): nothing of the build depends on it.
        }
    }
}
