package dev.sluice.cli;

/** PlanTest on a real PostgreSQL server. */
class PlanPostgresTest extends PlanTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
