package dev.sluice.cli;

/** SnapshotHooksRetryTest on a real PostgreSQL server. */
class SnapshotHooksRetryPostgresTest extends SnapshotHooksRetryTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
