package dev.sluice.cli;

/** AdapterPersistDocsTest on a real PostgreSQL server. */
class AdapterPersistDocsPostgresTest extends AdapterPersistDocsTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
