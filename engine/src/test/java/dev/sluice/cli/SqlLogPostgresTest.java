package dev.sluice.cli;

/** SqlLogTest on a real PostgreSQL server. */
class SqlLogPostgresTest extends SqlLogTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
