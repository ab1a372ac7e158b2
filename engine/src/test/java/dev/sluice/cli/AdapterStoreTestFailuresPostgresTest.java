package dev.sluice.cli;

/** AdapterStoreTestFailuresTest on a real PostgreSQL server. */
class AdapterStoreTestFailuresPostgresTest extends AdapterStoreTestFailuresTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
