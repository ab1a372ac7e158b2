package dev.sluice.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where a test project builds: the embedded DuckDB file or a database on a real PostgreSQL server. */
interface Warehouse {
    /** A profiles.yml output for the project in dir. */
    String output(Path dir);

    Connection connect(Path dir) throws SQLException;

    boolean isDuckDb();

    /** Called once per test project, before it runs. */
    default void prepare(Path dir) {
    }

    /** The flags of `engine init` that make the project in dir build in this warehouse. */
    java.util.List<String> initFlags(Path dir);

    Warehouse DUCKDB = new Warehouse() {
        @Override
        public String output(Path dir) {
            return "      type: duckdb\n      path: warehouse.duckdb\n      schema: main\n      threads: 2\n";
        }

        @Override
        public Connection connect(Path dir) throws SQLException {
            return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
        }

        @Override
        public boolean isDuckDb() {
            return true;
        }

        @Override
        public java.util.List<String> initFlags(Path dir) {
            return java.util.List.of("--adapter", "duckdb", "--path", "warehouse.duckdb");
        }

        @Override
        public String toString() {
            return "duckdb";
        }
    };
}
