package dev.sluice.cli;

import dev.sluice.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** A test project's warehouse: a database of its own on the test PostgreSQL server. */
final class PostgresWarehouse implements Warehouse {
    private final PostgresServer server;

    PostgresWarehouse(PostgresServer server) {
        this.server = server;
    }

    private String database(Path dir) {
        return server.databaseFor(dir.toString());
    }

    @Override
    public void prepare(Path dir) {
        server.recreate(database(dir));
    }

    @Override
    public String output(Path dir) {
        StringBuilder sb = new StringBuilder();
        server.settings(database(dir)).forEach((k, v) -> sb.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        return sb + "      schema: main\n      threads: 2\n";
    }

    @Override
    public Connection connect(Path dir) throws SQLException {
        return server.connect(database(dir));
    }

    @Override
    public java.util.List<String> initFlags(Path dir) {
        java.util.List<String> flags = new java.util.ArrayList<>(java.util.List.of("--adapter", "postgres", "--schema", "main"));
        server.settings(database(dir)).forEach((k, v) -> {
            if (!k.equals("type")) {
                flags.add("--" + k);
                flags.add(String.valueOf(v));
            }
        });
        return flags;
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
