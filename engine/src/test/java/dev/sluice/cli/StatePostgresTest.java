package dev.sluice.cli;

/** StateTest (the slim-CI recipe, state: and result: selection, --defer) on a real PostgreSQL server. */
class StatePostgresTest extends StateTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
