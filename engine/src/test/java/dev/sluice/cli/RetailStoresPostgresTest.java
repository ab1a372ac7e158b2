package dev.sluice.cli;

/** RetailStoresTest on a real PostgreSQL server: the external files reach it by COPY. */
class RetailStoresPostgresTest extends RetailStoresTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
