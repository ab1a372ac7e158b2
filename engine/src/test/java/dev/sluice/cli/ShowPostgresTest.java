package dev.sluice.cli;

/** ShowTest on a real PostgreSQL server. */
class ShowPostgresTest extends ShowTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
