package dev.sluice.cli;

/** InlineCompileTest on a real PostgreSQL server. */
class InlineCompilePostgresTest extends InlineCompileTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
