package dev.sluice.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * type databricks, method connect, built for real: the session Databricks Connect would open (bearer token,
 * cluster header), pointed at a Spark Connect server of bin/spark-cluster on this machine (one worker) without
 * TLS, which is what can be run here. The plugin's class path has the Spark Connect client but no spark-core,
 * as when the plugin is installed.
 */
class DatabricksConnectBuildTest {
    private static final Path SCRIPT = Path.of("..", "..", "bin", "spark-cluster").toAbsolutePath().normalize();
    private static final Path DIR = Path.of("target", "spark-cluster").toAbsolutePath();
    private static int masterPort;
    private static int connectPort;
    private static SparkSession reader;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        masterPort = freePort();
        connectPort = freePort();
        for (String old : List.of("warehouse", "logs", "pids", "worker-1")) deleteTree(DIR.resolve(old));
        String out = script("start");
        assertTrue(out.contains("Spark Connect on sc://"), "the cluster did not start:\n" + out);
        reader = org.apache.spark.sql.connect.SparkSession.builder().remote("sc://localhost:" + connectPort).create();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (reader != null) reader.close();
        script("stop");
    }

    @Test
    void theShopProjectBuildsOnAClusterThroughDatabricksConnect() {
        CliHarness p = connectProject(connectPort, "\"{{ env_var('SLUICE_TEST_NO_SUCH_VAR', 'dapi-local-s3cr3t') }}\"", "dbx_shop");
        CliHarness.Result debug = p.run("debug");
        assertEquals(0, debug.exitCode(), debug.all());
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().matches("(?s).*Done\\. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+.*"), r.out());
        assertFalse((debug.all() + r.all()).contains("dapi-local-s3cr3t"), "the token is never printed");

        assertEquals(1, rows("show tables in dbx_shop like 'customers'").size());
        assertEquals(1, rows("show views in dbx_shop like 'stg_customers'").size());
        assertEquals(6, rows("select * from dbx_shop.customers").size());
        Row one = rows("select customer_lifetime_value, number_of_orders from dbx_shop.customers where customer_id = 1").get(0);
        assertEquals(0, new BigDecimal("41.00").compareTo(new BigDecimal(one.get(0).toString())), "customer 1: orders 1, 3, 7");
        assertEquals(3L, ((Number) one.get(1)).longValue());
        assertEquals(10, rows("select * from dbx_shop.orders").size());
    }

    @Test
    void aClusterThatIsNotThereIsOneClearError() throws IOException {
        int closed = freePort();
        CliHarness p = connectProject(closed, "dapi-local-s3cr3t", "dbx_nowhere");
        CliHarness.Result r = p.run("build");
        assertTrue(r.exitCode() != 0, r.all());
        assertTrue(r.all().contains("cannot reach the Spark Connect server of target 'dbx' at sc://localhost:" + closed), r.all());
        assertFalse(r.all().contains("dapi-local-s3cr3t"), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace:\n" + r.all());
    }

    /** The shop project on type databricks, method connect, to the Spark Connect server at the port, without TLS. */
    private CliHarness connectProject(int port, String token, String schema) {
        return WarehouseProfile.shop(tmp, "dbx", """
                type: databricks
                method: connect
                host: localhost
                port: %d
                use_ssl: false
                cluster_id: 0123-456789-abcdefgh
                token: %s
                schema: %s
                threads: 2
                """.formatted(port, token, schema));
    }

    private static List<Row> rows(String sql) {
        return reader.sql(sql).collectAsList();
    }

    private static String script(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true);
        pb.environment().put("SPARK_CLUSTER_DIR", DIR.toString());
        pb.environment().put("SPARK_CLUSTER_MASTER_PORT", String.valueOf(masterPort));
        pb.environment().put("SPARK_CLUSTER_CONNECT_PORT", String.valueOf(connectPort));
        pb.environment().put("SPARK_CLUSTER_WORKERS", "1");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(10, TimeUnit.MINUTES)) proc.destroyForcibly();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
