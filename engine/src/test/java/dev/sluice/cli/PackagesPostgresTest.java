package dev.sluice.cli;

/** PackagesTest on a real PostgreSQL server. */
class PackagesPostgresTest extends PackagesTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
