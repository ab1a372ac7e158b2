package dev.sluice.databricks;

import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;
import dev.sluice.sparksql.ConnectEndpoint;
import dev.sluice.sparksql.ConnectProfile;
import dev.sluice.sparksql.ConnectSessionAdapter;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A Databricks cluster through Databricks Connect, which is Spark Connect (profile: type databricks, method
 * connect, host, cluster_id, token): the workspace's endpoint on port 443 with TLS, the personal access token as
 * a bearer token, and the cluster named in the {@code x-databricks-cluster-id} header, as Databricks' own
 * clients send them. The SQL and the session are those of type spark's method connect; the catalog is Unity
 * Catalog's, so grants are sent. SQL warehouses, which do not speak Spark Connect, stay on the JDBC method.
 *
 * <p>The token comes from the profile (usually {@code "{{ env_var('DATABRICKS_TOKEN') }}"}) or, when the profile
 * has none, from the DATABRICKS_TOKEN environment variable, as the Databricks CLI and SDKs read it.
 */
public final class DatabricksConnectAdapter extends ConnectSessionAdapter {
    static final String KIND = "databricks, method connect";
    static final String CLUSTER_HEADER = "x-databricks-cluster-id";
    private static final Set<String> KEYS = Set.of("type", "method", "host", "port", "cluster_id", "token", "use_ssl",
            "catalog", "database", "schema", "threads", "server_side_parameters");
    public DatabricksConnectAdapter(Target target) {
        this(target, endpoint(target, System::getenv));
    }

    private DatabricksConnectAdapter(Target target, ConnectEndpoint endpoint) {
        this(endpoint, endpoint.open("target '" + target.name() + "'", sessionConf(target),
                dev.sluice.sparksql.ConnectProfile.engineDefaults(target)));
    }

    /** What the session opens with: the profile's server_side_parameters and, as type spark's, a bound on plan strings. */
    static Map<String, String> sessionConf(Target target) {
        return ConnectProfile.sessionConf(target);
    }

    private DatabricksConnectAdapter(ConnectEndpoint endpoint, ConnectEndpoint.Connected connected) {
        super(connected, "databricks connect " + endpoint.describe() + ", cluster " + endpoint.headers().get(CLUSTER_HEADER), true);
    }

    /** The endpoint a target names; env reads an environment variable (a parameter, so tests can give one). */
    static ConnectEndpoint endpoint(Target target, UnaryOperator<String> env) {
        ConnectProfile.onlyKeys(target, KIND, KEYS);
        String host = ConnectProfile.required(target, KIND, "host").replaceFirst("^(https?|sc)://", "").replaceFirst("/+$", "");
        String cluster = ConnectProfile.required(target, KIND, "cluster_id");
        String token = target.setting("token");
        if (token == null || token.isBlank()) token = env.apply("DATABRICKS_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ConfigException("target '" + target.name() + "' (" + KIND + ") needs a token: set 'token' (e.g. \"{{ env_var('DATABRICKS_TOKEN') }}\")"
                    + " or the DATABRICKS_TOKEN environment variable", ConnectProfile.at(target));
        }
        return new ConnectEndpoint(host, ConnectProfile.port(target, 443), ConnectProfile.flag(target, "use_ssl", true),
                token.strip(), Map.of(CLUSTER_HEADER, cluster));
    }

    @Override
    public String type() {
        return "databricks";
    }
}
