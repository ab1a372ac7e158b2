package dev.sluice.cli;

/** ConcurrencyTest on a real PostgreSQL server. */
class ConcurrencyPostgresTest extends ConcurrencyTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
