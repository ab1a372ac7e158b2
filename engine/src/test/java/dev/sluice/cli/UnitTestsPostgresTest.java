package dev.sluice.cli;

/** UnitTestsTest on a real PostgreSQL server. */
class UnitTestsPostgresTest extends UnitTestsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
