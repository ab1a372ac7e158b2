package dev.sluice.cli;

/** AdapterSeedTest on a real PostgreSQL server. */
class AdapterSeedPostgresTest extends AdapterSeedTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
