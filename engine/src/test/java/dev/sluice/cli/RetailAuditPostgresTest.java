package dev.sluice.cli;

/** The sample's audit, append-only raw zone and load stamps on a real PostgreSQL server. */
class RetailAuditPostgresTest extends RetailAuditTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
