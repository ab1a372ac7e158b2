package dev.sluice.cli;

/** AdapterBasicTest on a real PostgreSQL server. */
class AdapterBasicPostgresTest extends AdapterBasicTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
