package dev.sluice.cli;

/** InitCommandTest with the starter project built on a real PostgreSQL server. */
class InitCommandPostgresTest extends InitCommandTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
