package dev.sluice.cli;

/** DiffTest on a real PostgreSQL server: both targets are schemas of one database. */
class DiffPostgresTest extends DiffTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
