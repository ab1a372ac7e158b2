package dev.sluice.cli;

/** SqlAnalysisCliTest on a real PostgreSQL server. */
class SqlAnalysisCliPostgresTest extends SqlAnalysisCliTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
