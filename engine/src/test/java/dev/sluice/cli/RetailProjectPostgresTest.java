package dev.sluice.cli;

/** The sample project on a real PostgreSQL server. */
class RetailProjectPostgresTest extends RetailProjectTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
