package dev.sluice.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests. CI starts one and names it in SLUICE_PG_HOST / SLUICE_PG_PORT /
 * SLUICE_PG_USER / SLUICE_PG_PASSWORD; run by hand, the tests start their own from the machine's PostgreSQL
 * binaries in a temporary folder. Each test gets a database of its own.
 */
public final class PostgresServer {
    private static PostgresServer instance;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private final java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private PostgresServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** The server, or null when there is none and none can be started here. */
    public static synchronized PostgresServer get() {
        if (instance != null) return instance;
        String host = System.getenv("SLUICE_PG_HOST");
        if (host != null && !host.isBlank()) {
            PostgresServer shared = new PostgresServer(host, Integer.parseInt(System.getenv().getOrDefault("SLUICE_PG_PORT", "5432")),
                    System.getenv().getOrDefault("SLUICE_PG_USER", "postgres"), System.getenv().getOrDefault("SLUICE_PG_PASSWORD", ""));
            // A server that outlives the tests would otherwise keep every test's database: thousands over a few
            // runs on a developer's machine (33 GB seen here).
            Runtime.getRuntime().addShutdownHook(new Thread(shared::dropCreated, "drop-test-databases"));
            instance = shared;
            return instance;
        }
        try {
            instance = startLocal();
        } catch (IOException | InterruptedException e) {
            System.err.println("PostgreSQL tests skipped: cannot start a server: " + e.getMessage());
            return null;
        }
        return instance;
    }

    private static Path binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable).sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static PostgresServer startLocal() throws IOException, InterruptedException {
        Path initdb = binary("initdb");
        Path pgCtl = binary("pg_ctl");
        if (initdb == null || pgCtl == null) throw new IOException("no initdb/pg_ctl on this machine");
        Path dir = Files.createTempDirectory("sluice-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // PostgreSQL refuses to run as root; as root, run it as the postgres user.
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) run(List.of("chown", "postgres", dir.toString()));
        Path data = dir.resolve("data");
        run(asPostgres(root, List.of(initdb.toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8")));
        run(asPostgres(root, List.of(pgCtl.toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(asPostgres(root, List.of(pgCtl.toString(), "-D", data.toString(), "-m", "immediate", "stop")));
            } catch (IOException | InterruptedException ignored) {
                // The JVM is exiting; the temporary server goes with the machine's /tmp.
            }
        }));
        return new PostgresServer("127.0.0.1", port, "postgres", "");
    }

    private static List<String> asPostgres(boolean root, List<String> cmd) {
        if (!root) return cmd;
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(cmd);
        return out;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    /**
     * The server for a test, or a skip when there is none; in CI (CI=true) a missing server fails the test,
     * so the PostgreSQL suites can't silently stop running there.
     */
    public static PostgresServer require() {
        PostgresServer pg = get();
        if (pg == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must provide PostgreSQL (SLUICE_PG_HOST) for the PostgreSQL tests");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no PostgreSQL server on this machine");
        }
        return pg;
    }

    /** A database name unique to this test run and key. */
    public String databaseFor(String key) {
        return "t_" + runId + "_" + Integer.toHexString(key.hashCode() & 0x7fffffff);
    }

    /** Drops and creates a database. */
    public void recreate(String db) {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + db + " with (force)");
            st.execute("create database " + db);
            created.add(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the databases this JVM's tests created; the JVM is exiting, so a failure only leaves them behind.
     * Each drop waits for a checkpoint (1.4 s apiece here), so one by one the suite's hundred-odd databases
     * outlasted surefire's 30 s exit timeout, which killed the fork and left most of them; drops from several
     * connections at once share their checkpoints.
     */
    private void dropCreated() {
        if (created.isEmpty()) return;
        java.util.concurrent.ConcurrentLinkedQueue<String> left = new java.util.concurrent.ConcurrentLinkedQueue<>(created);
        List<Thread> droppers = new ArrayList<>();
        for (int i = 0; i < Math.min(16, created.size()); i++) {
            Thread t = new Thread(() -> {
                try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
                    for (String db; (db = left.poll()) != null; ) st.execute("drop database if exists " + db + " with (force)");
                } catch (SQLException e) {
                    System.err.println("test databases left on " + host + ": " + e.getMessage());
                }
            }, "drop-test-databases-" + i);
            t.start();
            droppers.add(t);
        }
        for (Thread t : droppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Settings of a profiles.yml output for a database of this server. */
    public java.util.Map<String, Object> settings(String db) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", "postgres");
        m.put("host", host);
        m.put("port", String.valueOf(port));
        m.put("user", user);
        m.put("password", password);
        m.put("dbname", db);
        return m;
    }

    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
    }

    @Override
    public String toString() {
        return "postgres";
    }
}
