package dev.sluice.cli;

/** FingerprintTest on a real PostgreSQL server, where the state row commits in the swap's transaction. */
class FingerprintPostgresTest extends FingerprintTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
