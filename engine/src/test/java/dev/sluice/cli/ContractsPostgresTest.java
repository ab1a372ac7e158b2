package dev.sluice.cli;

/** ContractsTest on a real PostgreSQL server. */
class ContractsPostgresTest extends ContractsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
