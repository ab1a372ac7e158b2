package dev.sluice.cli;

/** ExternalSourceTest on a real PostgreSQL server: the files are loaded by COPY. */
class ExternalSourcePostgresTest extends ExternalSourceTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
