package dev.sluice.cli;

/** JinjaContextTest on a real PostgreSQL server. */
class JinjaContextPostgresTest extends JinjaContextTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
