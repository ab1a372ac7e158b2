package dev.sluice.databricks;

import dev.sluice.adapter.AdapterFactory;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.sparksql.ConnectEndpoint;
import org.junit.jupiter.api.Test;
import org.sparkproject.io.grpc.Metadata;
import org.sparkproject.io.grpc.MethodDescriptor;
import org.sparkproject.io.grpc.Server;
import org.sparkproject.io.grpc.ServerCall;
import org.sparkproject.io.grpc.ServerCallHandler;
import org.sparkproject.io.grpc.ServerMethodDefinition;
import org.sparkproject.io.grpc.Status;
import org.sparkproject.io.grpc.netty.NettyServerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What method connect sends to Databricks: the channel settings a profile gives (TLS, port, bearer token, cluster
 * header), and what actually reaches a server, captured by a stand-in gRPC server on this machine.
 */
class DatabricksConnectChannelTest {
    private static final String TOKEN = "dapi0123456789abcdef-test";
    private static final String CLUSTER = "0123-456789-abcdefgh";

    private static Target target(Map<String, Object> extra) {
        Map<String, Object> s = new LinkedHashMap<>(Map.of("type", "databricks", "method", "connect",
                "host", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/", "cluster_id", CLUSTER, "schema", "dbt_bob"));
        s.putAll(extra);
        s.values().removeIf(v -> v == null);
        return new Target("shop", "dev", "databricks", null, "dbt_bob", 4, s, null);
    }

    @Test
    void aWorkspaceIsReachedOnPort443WithTlsTheTokenAndTheClusterHeader() {
        ConnectEndpoint e = DatabricksConnectAdapter.endpoint(target(Map.of("token", TOKEN)), k -> null);
        assertEquals("dbc-a1b2c3d4-e5f6.cloud.databricks.com", e.host());
        assertEquals(443, e.port());
        assertTrue(e.tls());
        var conf = e.client().configuration();
        assertEquals("Some(" + TOKEN + ")", conf.token().toString());
        assertEquals(CLUSTER, conf.metadata().get(DatabricksConnectAdapter.CLUSTER_HEADER).get());
        // Sent in each request's client_type field, not as a gRPC header.
        assertTrue(conf.userAgent().startsWith("sluice"), conf.userAgent());
        assertEquals("sc://dbc-a1b2c3d4-e5f6.cloud.databricks.com:443 (TLS)", e.describe());
    }

    @Test
    void aTokenNeverGoesInClearToAnotherMachine() {
        // use_ssl false is honoured only for this machine's own server (localhost), as the Spark Connect client rules.
        ConnectEndpoint remote = DatabricksConnectAdapter.endpoint(target(Map.of("token", TOKEN, "use_ssl", "false")), k -> null);
        assertTrue(remote.tls());
        ConnectEndpoint local = DatabricksConnectAdapter.endpoint(target(Map.of("token", TOKEN, "use_ssl", "false",
                "host", "localhost", "port", "15002")), k -> null);
        assertFalse(local.tls());
        assertEquals("sc://localhost:15002", local.describe());
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenTheProfileHasNone() {
        ConnectEndpoint e = DatabricksConnectAdapter.endpoint(target(Map.of()), k -> k.equals("DATABRICKS_TOKEN") ? TOKEN : null);
        assertEquals(TOKEN, e.token());
        ConfigException none = assertThrows(ConfigException.class, () -> DatabricksConnectAdapter.endpoint(target(Map.of()), k -> null));
        assertTrue(none.getMessage().contains("needs a token: set 'token'"), none.getMessage());
        assertTrue(none.getMessage().contains("DATABRICKS_TOKEN"), none.getMessage());
    }

    @Test
    void profileMistakesAreNamed() {
        ConfigException httpPath = assertThrows(ConfigException.class, () -> DatabricksConnectAdapter.endpoint(
                target(Map.of("token", TOKEN, "http_path", "/sql/1.0/warehouses/abc")), k -> null));
        assertTrue(httpPath.getMessage().contains("(databricks, method connect) has keys it does not read: [http_path]"), httpPath.getMessage());
        Map<String, Object> noCluster = new LinkedHashMap<>(Map.of("token", TOKEN));
        noCluster.put("cluster_id", null);
        ConfigException cluster = assertThrows(ConfigException.class, () -> DatabricksConnectAdapter.endpoint(target(noCluster), k -> null));
        assertTrue(cluster.getMessage().contains("needs a 'cluster_id'"), cluster.getMessage());
        ConfigException ssl = assertThrows(ConfigException.class, () -> DatabricksConnectAdapter.endpoint(
                target(Map.of("token", TOKEN, "use_ssl", "yes please")), k -> null));
        assertTrue(ssl.getMessage().contains("use_ssl must be true or false"), ssl.getMessage());
        AdapterFactory f = new DatabricksAdapterFactory();
        ConfigException method = assertThrows(ConfigException.class, () -> f.create(target(Map.of("method", "odbc"))));
        assertTrue(method.getMessage().contains("has method 'odbc'; supported: jdbc"), method.getMessage());
    }

    /**
     * The session is opened with a bound on plan strings: the engine's appends carry up to 16 MB of rows in their
     * plans, which a driver keeps for its SQL history; server_side_parameters may set another bound, and its other
     * settings go along.
     */
    @Test
    void theSessionBoundsItsPlanStringsUnlessTheProfileSetsIt() {
        Map<String, String> conf = DatabricksConnectAdapter.sessionConf(target(Map.of("token", TOKEN,
                "server_side_parameters", Map.of("spark.sql.shuffle.partitions", 8))));
        assertEquals(Map.of("spark.sql.maxPlanStringLength", "16k", "spark.sql.shuffle.partitions", "8"), conf);
        Map<String, String> own = DatabricksConnectAdapter.sessionConf(target(Map.of("token", TOKEN,
                "server_side_parameters", Map.of("spark.sql.maxPlanStringLength", "64k"))));
        assertEquals(Map.of("spark.sql.maxPlanStringLength", "64k"), own);
    }

    /** A stand-in server that records each call's headers and first message, and refuses it. */
    @Test
    void theServerReceivesTheBearerTokenAndTheClusterHeader() throws IOException {
        List<Metadata> seen = new CopyOnWriteArrayList<>();
        List<String> calls = new CopyOnWriteArrayList<>();
        MethodDescriptor.Marshaller<InputStream> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(InputStream value) {
                return value;
            }

            @Override
            public InputStream parse(InputStream stream) {
                try {
                    return new ByteArrayInputStream(stream.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        ServerCallHandler<InputStream, InputStream> refuse = new ServerCallHandler<>() {
            @Override
            public ServerCall.Listener<InputStream> startCall(ServerCall<InputStream, InputStream> call, Metadata headers) {
                seen.add(headers);
                call.request(1);
                return new ServerCall.Listener<>() {
                    @Override
                    public void onMessage(InputStream message) {
                        try {
                            calls.add(call.getMethodDescriptor().getFullMethodName() + " "
                                    + new String(message.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        call.close(Status.PERMISSION_DENIED.withDescription("stand-in server"), new Metadata());
                    }
                };
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
                .fallbackHandlerRegistry(new org.sparkproject.io.grpc.HandlerRegistry() {
                    @Override
                    public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
                        return ServerMethodDefinition.create(MethodDescriptor.<InputStream, InputStream>newBuilder()
                                .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(method)
                                .setRequestMarshaller(raw).setResponseMarshaller(raw).build(), refuse);
                    }
                }).build().start();
        try {
            Target t = target(Map.of("token", TOKEN, "use_ssl", "false", "host", "localhost", "port", String.valueOf(server.getPort())));
            DatabaseException refused = assertThrows(DatabaseException.class, () -> new DatabricksConnectAdapter(t));
            assertTrue(refused.getMessage().startsWith("cannot open a Spark Connect session for target 'dev' at sc://localhost:"
                    + server.getPort() + ": "), refused.getMessage());
            assertFalse(refused.getMessage().contains(TOKEN), refused.getMessage());
        } finally {
            server.shutdownNow();
        }
        assertFalse(seen.isEmpty(), "no call reached the server");
        // The session's first call sets its settings on the server, the bound on plan strings among them.
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("spark.connect.SparkConnectService/Config ")
                && c.contains("spark.sql.maxPlanStringLength") && c.contains("16k")), calls.toString().replaceAll("\\p{Cntrl}", "."));
        Metadata h = seen.get(0);
        assertEquals("Bearer " + TOKEN, h.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
        assertEquals(CLUSTER, h.get(Metadata.Key.of("x-databricks-cluster-id", Metadata.ASCII_STRING_MARSHALLER)));
    }
}
