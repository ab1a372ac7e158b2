package dev.sluice.cli;

/** RunOperationTest on a real PostgreSQL server. */
class RunOperationPostgresTest extends RunOperationTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
