package dev.sluice.cli;

/** AdapterSnapshotTest on a real PostgreSQL server. */
class AdapterSnapshotPostgresTest extends AdapterSnapshotTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
