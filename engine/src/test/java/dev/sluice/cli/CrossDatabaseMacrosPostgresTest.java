package dev.sluice.cli;

/** CrossDatabaseMacrosTest on a real PostgreSQL server. */
class CrossDatabaseMacrosPostgresTest extends CrossDatabaseMacrosTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
