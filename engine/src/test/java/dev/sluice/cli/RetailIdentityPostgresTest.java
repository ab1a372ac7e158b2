package dev.sluice.cli;

/** Identity unification of the sample project on a real PostgreSQL server. */
class RetailIdentityPostgresTest extends RetailIdentityTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
