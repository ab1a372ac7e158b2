package dev.sluice.cli;

/** AdapterEphemeralTest on a real PostgreSQL server. */
class AdapterEphemeralPostgresTest extends AdapterEphemeralTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
