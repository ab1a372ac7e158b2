package dev.sluice.cli;

/** PersistDocsTest on a real PostgreSQL server. */
class PersistDocsPostgresTest extends PersistDocsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
