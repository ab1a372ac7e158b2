package dev.sluice.cli;

/** ModelRegistryTest on a real PostgreSQL server. */
class ModelRegistryPostgresTest extends ModelRegistryTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
