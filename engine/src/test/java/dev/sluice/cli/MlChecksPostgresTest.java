package dev.sluice.cli;

/** MlChecksTest on a real PostgreSQL server. */
class MlChecksPostgresTest extends MlChecksTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
