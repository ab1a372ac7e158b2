package dev.sluice.cli;

/** DbtFidelityTest on a real PostgreSQL server. */
class DbtFidelityPostgresTest extends DbtFidelityTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
