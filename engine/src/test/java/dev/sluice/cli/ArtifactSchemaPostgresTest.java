package dev.sluice.cli;

/** ArtifactSchemaTest on a real PostgreSQL server (its catalog and relation names differ from DuckDB's). */
class ArtifactSchemaPostgresTest extends ArtifactSchemaTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
