package dev.sluice.cli;

/** BadInputTest on a real PostgreSQL server. */
class BadInputPostgresTest extends BadInputTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
