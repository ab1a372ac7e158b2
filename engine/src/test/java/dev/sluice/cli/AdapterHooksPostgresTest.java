package dev.sluice.cli;

/** AdapterHooksTest on a real PostgreSQL server. */
class AdapterHooksPostgresTest extends AdapterHooksTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
