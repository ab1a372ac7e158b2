package dev.sluice.cli;

/** ConstraintsTest on a real PostgreSQL server. */
class ConstraintsPostgresTest extends ConstraintsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
