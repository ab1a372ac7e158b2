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
    static final String PLAN_STRING_LENGTH = "16k";
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
        Map<String, String> conf = ConnectProfile.serverSideParameters(target);
        // The engine's appends carry their rows as a literal of up to 16 MB (SparkSqlSession.appendAsJson); the
        // driver keeps each statement's plan strings for its SQL history, and in full by default: 55 appends at
        // 50,000 customers took 1.3 GB of a 2 GB server's heap. Spark's own advice for that is a bound like this.
        conf.putIfAbsent("spark.sql.maxPlanStringLength", PLAN_STRING_LENGTH);
        return new Opened(endpoint, endpoint.open("target '" + target.name() + "'", conf));
    }

    @Override
    public String type() {
        return "spark";
    }
}
