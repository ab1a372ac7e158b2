package dev.sluice.cli;

/** BuildCommandTest on a real PostgreSQL server. */
class BuildCommandPostgresTest extends BuildCommandTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
