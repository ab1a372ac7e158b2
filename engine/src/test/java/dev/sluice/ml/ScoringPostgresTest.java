package dev.sluice.ml;

import dev.sluice.adapter.PostgresAdapter;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import dev.sluice.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/** The models' SQL scores equal the JVM's on a real PostgreSQL, as on DuckDB (WarehouseTest). */
class ScoringPostgresTest {

    @Test
    void treeAndLogisticScoresMatchInPostgres() {
        PostgresServer server = PostgresServer.require();
        String db = server.databaseFor("ScoringPostgresTest");
        server.recreate(db);
        try (PostgresAdapter adapter = new PostgresAdapter(new Target("p", "pg", "postgres", null, "public", 1, server.settings(db), null));
             Session s = adapter.open()) {
            s.execute("create schema raw");
            ScoringParity parity = new ScoringParity(adapter, s);
            parity.forestMatches("raw");
            parity.boostedMatches("raw");
            parity.logisticMatches("raw");
            parity.predictionsMatch("raw");
        }
    }
}
