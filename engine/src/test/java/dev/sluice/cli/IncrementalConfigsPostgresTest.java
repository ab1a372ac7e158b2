package dev.sluice.cli;

/** IncrementalConfigsTest on a real PostgreSQL server. */
class IncrementalConfigsPostgresTest extends IncrementalConfigsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
