package dev.sluice.cli;

/** AdapterUtilsTest on a real PostgreSQL server. */
class AdapterUtilsPostgresTest extends AdapterUtilsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
