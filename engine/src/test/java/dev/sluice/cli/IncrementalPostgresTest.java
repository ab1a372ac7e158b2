package dev.sluice.cli;

/** IncrementalTest on a real PostgreSQL server. */
class IncrementalPostgresTest extends IncrementalTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
