package dev.sluice.cli;

/** KillRecoveryTest on a real PostgreSQL server. */
class KillRecoveryPostgresTest extends KillRecoveryTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
