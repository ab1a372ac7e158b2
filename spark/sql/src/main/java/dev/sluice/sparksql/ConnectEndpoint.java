package dev.sluice.sparksql;

import dev.sluice.adapter.Connections;
import dev.sluice.error.DatabaseException;
import org.apache.spark.sql.connect.client.SparkConnectClient;
import org.sparkproject.io.grpc.InsecureChannelCredentials;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * A Spark Connect server and how to talk to it: a self-run cluster's (host, port, maybe TLS) or a Databricks
 * cluster's (the workspace on 443 with TLS, a bearer token, and the cluster named in the
 * {@code x-databricks-cluster-id} header, as Databricks Connect sends it).
 *
 * <p>The client's own rule decides the channel: TLS when asked, or whenever a token goes to a host other than
 * {@code localhost}, so a token never crosses a network in clear; to a local server the token travels as the
 * {@code Authorization} header without TLS.
 *
 * @param token   bearer token, or null
 * @param headers further gRPC metadata sent with every call
 */
public record ConnectEndpoint(String host, int port, boolean ssl, String token, Map<String, String> headers) {
    public ConnectEndpoint {
        headers = Map.copyOf(headers);
    }

    /**
     * The client's settings; what it builds is what {@link #open} connects with. Through the plugin's loader: the
     * client reads its version file as a resource of the context loader, which an installed plugin's jars are not on.
     */
    public SparkConnectClient.Builder client() {
        return ContextLoader.call(this::builder);
    }

    private SparkConnectClient.Builder builder() {
        SparkConnectClient.Builder b = SparkConnectClient.builder().host(host).port(port).userAgent("sluice");
        if (ssl) b.enableSsl();
        else b.disableSsl();
        if (token != null && !token.isEmpty()) b.token(token);
        headers.forEach(b::option);
        return b;
    }

    public boolean tls() {
        return !(client().configuration().credentials() instanceof InsecureChannelCredentials);
    }

    /** For messages: where, and whether over TLS; never the token. */
    public String describe() {
        return "sc://" + host + ":" + port + (tls() ? " (TLS)" : "");
    }

    /**
     * A server-side session of its own, with the given session settings, checked by asking the server's version.
     *
     * @param who the target, for messages
     */
    public Connected open(String who, Map<String, String> conf) {
        return open(who, conf, java.util.Set.of());
    }

    /**
     * As {@link #open(String, Map)}, where the settings named in {@code optional} are the engine's own defaults
     * rather than the user's: if the server refuses one of them (its error names it), the session opens without it
     * and a warning says so.
     */
    public Connected open(String who, Map<String, String> conf, java.util.Set<String> optional) {
        return withoutRefused(conf, optional, c -> ContextLoader.call(() -> connect(who, c)),
                (key, why) -> WARN.warn("{}: the Spark Connect server refused the setting {}={} ({}); the session runs"
                        + " without it", who, key, conf.get(key), why));
    }

    private static final org.slf4j.Logger WARN = org.slf4j.LoggerFactory.getLogger(dev.sluice.log.LogSetup.WARNINGS);

    /**
     * Tries {@code attempt} with every setting; when it fails with an error that names one of the optional settings,
     * tries again without that one (and so on), telling {@code refused} which and why. Any other failure is thrown.
     */
    static <T> T withoutRefused(Map<String, String> conf, java.util.Set<String> optional,
                                java.util.function.Function<Map<String, String>, T> attempt,
                                java.util.function.BiConsumer<String, String> refused) {
        Map<String, String> tried = new java.util.LinkedHashMap<>(conf);
        while (true) {
            try {
                return attempt.apply(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tried)));
            } catch (DatabaseException e) {
                String msg = String.valueOf(e.getMessage());
                String key = optional.stream().filter(tried::containsKey).filter(msg::contains).findFirst().orElse(null);
                if (key == null) throw e;
                tried.remove(key);
                int from = msg.lastIndexOf(": ", msg.indexOf(key));
                refused.accept(key, from < 0 ? msg : msg.substring(from + 2));
            }
        }
    }

    private Connected connect(String who, Map<String, String> conf) {
        // The client retries an unreachable server for minutes with backoff; a plain connect tells at once.
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host, port), 10_000);
        } catch (IOException e) {
            throw new DatabaseException("cannot reach the Spark Connect server of " + who + " at " + describe() + ": "
                    + e.getMessage() + " (is the cluster running?)", e);
        }
        org.apache.spark.sql.connect.SparkSession spark = null;
        try {
            var builder = org.apache.spark.sql.connect.SparkSession.builder().client(client().build());
            conf.forEach(builder::config);
            spark = builder.create();
            // The client connects lazily: ask the server now, so a wrong host or a refused token fails here, once.
            return new Connected(spark, spark.version());
        } catch (Exception e) {
            // Scala throws SparkException, a checked exception, without declaring it.
            if (spark != null) closeQuietly(spark);
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new DatabaseException("cannot open a Spark Connect session for " + who + " at " + describe() + ": "
                    + Connections.scrub(msg, token == null ? List.of() : List.of(token)), e);
        }
    }

    /** Ends the server-side session; if the server is gone there is nothing left to end. */
    public static void closeQuietly(org.apache.spark.sql.SparkSession spark) {
        try {
            spark.close();
        } catch (IOException | RuntimeException e) {
            // Nothing of the build depends on the session's release.
        }
    }

    /** An open session and the Spark version the server reported. */
    public record Connected(org.apache.spark.sql.connect.SparkSession spark, String version) {
    }
}
