package dev.sluice.cli;

/** AdapterUnitTestingTest on a real PostgreSQL server. */
class AdapterUnitTestingPostgresTest extends AdapterUnitTestingTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
