package dev.sluice.cli;

/** MicrobatchTest on a real PostgreSQL server. */
class MicrobatchPostgresTest extends MicrobatchTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
