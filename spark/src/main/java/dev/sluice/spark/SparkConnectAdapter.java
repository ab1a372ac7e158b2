package dev.sluice.spark;

import dev.sluice.project.Target;
import dev.sluice.sparksql.ConnectEndpoint;
import dev.sluice.sparksql.ConnectProfile;
import dev.sluice.sparksql.ConnectSessionAdapter;

import java.util.Map;
import java.util.Set;

/**
 * The Databricks dialect sent to a Spark cluster through Spark Connect (profile: type spark, method connect,
 * host, port, token, use_ssl, server_side_parameters): the SQL is the local adapter's, only the session
 * differs. The cluster's Connect server holds the catalog and the table format (Delta), so what the tables
 * are is its configuration, not the profile's; that catalog has no privileges.
 *
 * <p>Each adapter opens a Spark Connect session of its own (a server-side session: its SQL settings do not leak
 * into other clients) and releases it on close; the engine's threads share it, as the client is thread-safe.
 */
public final class SparkConnectAdapter extends ConnectSessionAdapter {
    private static final String KIND = "spark, method connect";
    private static final Set<String> KEYS = Set.of("type", "method", "host", "port", "token", "use_ssl",
            "server_side_parameters", "schema", "threads", "database");
    public SparkConnectAdapter(Target target) {
        this(open(target));
    }

    private SparkConnectAdapter(Opened opened) {
        super(opened.connected(), "spark connect " + opened.endpoint().describe(), false);
    }

    private record Opened(ConnectEndpoint endpoint, ConnectEndpoint.Connected connected) {
    }

    private static Opened open(Target target) {
        ConnectProfile.onlyKeys(target, KIND, KEYS);
        String host = ConnectProfile.required(target, KIND, "host").replaceFirst("^sc://", "");
        ConnectEndpoint endpoint = new ConnectEndpoint(host, ConnectProfile.port(target, 15002),
                ConnectProfile.flag(target, "use_ssl", false), target.setting("token"), Map.of());
        return new Opened(endpoint, endpoint.open("target '" + target.name() + "'", ConnectProfile.sessionConf(target),
                ConnectProfile.engineDefaults(target)));
    }

    @Override
    public String type() {
        return "spark";
    }
}
