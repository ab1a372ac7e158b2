package dev.sluice.cli;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Base of the CLI tests: a fresh project folder per test on a warehouse. The tests run on DuckDB; each
 * *PostgresTest subclass runs the same tests again on a real PostgreSQL server.
 */
abstract class ProjectTest {
    @TempDir
    Path tmp;

    Warehouse warehouse() {
        return Warehouse.DUCKDB;
    }

    CliHarness copy(String fixture) {
        return CliHarness.copyOf(fixture, tmp, warehouse());
    }

    /** The PostgreSQL server for the *PostgresTest classes; skips them where there is none, except in CI. */
    static Warehouse postgres() {
        return new PostgresWarehouse(dev.sluice.testing.PostgresServer.require());
    }
}
