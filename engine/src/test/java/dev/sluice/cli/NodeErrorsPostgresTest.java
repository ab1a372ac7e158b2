package dev.sluice.cli;

/** NodeErrorsTest on a real PostgreSQL server. */
class NodeErrorsPostgresTest extends NodeErrorsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
