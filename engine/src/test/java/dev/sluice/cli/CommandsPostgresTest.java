package dev.sluice.cli;

/** CommandsTest on a real PostgreSQL server. */
class CommandsPostgresTest extends CommandsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
