package dev.sluice.cli;

/** SourceFreshnessTest on a real PostgreSQL server. */
class SourceFreshnessPostgresTest extends SourceFreshnessTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
