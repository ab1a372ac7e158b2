package dev.sluice.cli;

/**
 * ServeTest on a real PostgreSQL server: the dashboard's queries, the drill-down's paging, sorting and profile,
 * and jobs launched from the server, against PostgreSQL.
 */
class ServePostgresTest extends ServeTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }
}
