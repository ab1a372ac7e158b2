package dev.sluice.cli;

/** CatalogTest on a real PostgreSQL server. */
class CatalogPostgresTest extends CatalogTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
