package dev.sluice.cli;

/** AdapterAliasesTest on a real PostgreSQL server. */
class AdapterAliasesPostgresTest extends AdapterAliasesTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
