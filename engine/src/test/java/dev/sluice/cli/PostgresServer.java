package dev.sluice.cli;

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
 * binaries in a temporary folder. Each test project gets a database of its own.
 */
final class PostgresServer implements Warehouse {
    private static PostgresServer instance;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private final String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private PostgresServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** The server, or null when there is none and none can be started here. */
    static synchronized PostgresServer get() {
        if (instance != null) return instance;
        String host = System.getenv("SLUICE_PG_HOST");
        if (host != null && !host.isBlank()) {
            instance = new PostgresServer(host, Integer.parseInt(System.getenv().getOrDefault("SLUICE_PG_PORT", "5432")),
                    System.getenv().getOrDefault("SLUICE_PG_USER", "postgres"), System.getenv().getOrDefault("SLUICE_PG_PASSWORD", ""));
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

    private String database(Path dir) {
        return "t_" + runId + "_" + Integer.toHexString(dir.toString().hashCode() & 0x7fffffff);
    }

    @Override
    public void prepare(Path dir) {
        try (Connection c = connectTo("postgres"); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database(dir) + " with (force)");
            st.execute("create database " + database(dir));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
    }

    @Override
    public String output(Path dir) {
        return "      type: postgres\n      host: " + host + "\n      port: " + port + "\n      user: " + user
                + "\n      password: \"" + password + "\"\n      dbname: " + database(dir) + "\n      schema: main\n      threads: 2\n";
    }

    @Override
    public Connection connect(Path dir) throws SQLException {
        return connectTo(database(dir));
    }

    private Connection connectTo(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
    }

    @Override
    public boolean isDuckDb() {
        return false;
    }

    @Override
    public String toString() {
        return "postgres";
    }
}
