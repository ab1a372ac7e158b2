package dev.sluice.cli;

/** AdapterEmptyTest on a real PostgreSQL server. */
class AdapterEmptyPostgresTest extends AdapterEmptyTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
