package dev.sluice.cli;

/** JobsTest on a real PostgreSQL server: the job lock is an advisory lock, the history a table there. */
class JobsPostgresTest extends JobsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
