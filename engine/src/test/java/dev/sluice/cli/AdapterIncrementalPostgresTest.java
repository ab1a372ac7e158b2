package dev.sluice.cli;

/** AdapterIncrementalTest on a real PostgreSQL server. */
class AdapterIncrementalPostgresTest extends AdapterIncrementalTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
