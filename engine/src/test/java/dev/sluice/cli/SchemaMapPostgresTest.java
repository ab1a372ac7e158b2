package dev.sluice.cli;

/** SchemaMapTest on a real PostgreSQL server. */
class SchemaMapPostgresTest extends SchemaMapTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
