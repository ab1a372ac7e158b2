package dev.sluice.cli;

/** RetailSegmentsTest on a real PostgreSQL server: master, templates, checks and sizes recomputed from raw data. */
class RetailSegmentsPostgresTest extends RetailSegmentsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
