package dev.sluice.activation;

import dev.sluice.adapter.PostgresAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import dev.sluice.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exports read from PostgreSQL and keep their state there (see dev.sluice.testing.PostgresServer). */
@Timeout(120)
class ActivationPostgresTest {
    @TempDir
    Path dir;

    @Test
    void incrementalWebhookAndFilesFromPostgres() throws Exception {
        PostgresServer server = PostgresServer.require();
        String db = server.databaseFor("ActivationPostgresTest");
        server.recreate(db);
        try (Receiver receiver = new Receiver();
             PostgresAdapter adapter = new PostgresAdapter(new Target("p", "pg", "postgres", null, "public", 1, server.settings(db), null));
             Session s = adapter.open()) {
            s.execute("create schema act");
            s.execute("create table act.src (customer_id integer, email text, spend numeric(10, 2), signup date)");
            s.execute("insert into act.src values (1, ' Ada@Example.com', 10.50, date '2024-01-02'), (2, 'alan@example.com', 3.00, null),"
                    + " (3, null, 7.25, date '2024-03-04')");
            String sql = "select * from act.src order by customer_id";
            ExportState state = new ExportState(adapter, s, new Relation(null, "act", "src_state"));
            WebhookSender sender = new WebhookSender(WebhookSender.client(Duration.ofSeconds(5)),
                    new WebhookSender.Settings(URI.create(receiver.url()), Map.of(), 2, 5, 20, Duration.ofSeconds(5)),
                    Thread::sleep, m -> { }, new Redactor(List.of()));
            WebhookExport export = new WebhookExport("pg_audience", sender, 2, m -> { });

            receiver.failOn(2, Receiver.Fault.ACCEPT_THEN_500);
            export.sendChanges(ExportRows.query(s, sql, List.of("email")), "customer_id", state, Instant::now);
            assertEquals(Set.of("1", "2", "3"), receiver.members());
            assertEquals(Hashing.sha256Hex("ada@example.com"), receiver.member("1").get("email_sha256").asText());
            // numeric keeps its scale on the wire.
            assertEquals(true, receiver.requests().get(0).body().contains("\"spend\":10.50,"), receiver.requests().get(0).body());
            assertEquals("2024-01-02", receiver.member("1").get("signup").asText());

            s.execute("update act.src set spend = 99 where customer_id = 2");
            s.execute("delete from act.src where customer_id = 3");
            WebhookExport.Outcome o = export.sendChanges(ExportRows.query(s, sql, List.of("email")), "customer_id", state, Instant::now);
            assertEquals("0 added, 1 updated, 1 removed in 1 batches", o.message());
            assertEquals(Set.of("1", "2"), receiver.members());
            assertEquals(Set.of("1", "2"), state.load().keySet());

            // The activation log on PostgreSQL: created once, counts and null counts and the stamps read back as written.
            ActivationLog log = new ActivationLog(adapter, "act");
            log.ensure(s);
            log.ensure(s);
            Instant build = Instant.parse("2024-05-06T07:08:09.123456Z");
            log.append(s, "pg_audience", build, build.plusSeconds(2), new ActivationLog.Entry("webhook", "127.0.0.1", "success", 2, o.counts(), o.message()));
            log.append(s, "pg_file", build, build.plusSeconds(3), new ActivationLog.Entry("file", "a.csv", "failure", 2, null, "it's broken"));
            assertEquals("[{operator=pg_audience, adds=0, updates=1, removes=1, run_started_at=2024-05-06 07:08:09.123456}, "
                            + "{operator=pg_file, adds=null, updates=null, removes=null, run_started_at=2024-05-06 07:08:09.123456}]",
                    s.query("select operator, adds, updates, removes, cast(run_started_at as text) as run_started_at "
                            + "from act.sluice_activation_log order by logged_at").toString());
            assertEquals(build, dev.sluice.adapter.RowValues.utcInstant(s.query("select run_started_at from act.sluice_activation_log limit 1")
                    .get(0).get("run_started_at")));

            Path parquet = dir.resolve("pg.parquet");
            ExportFormat.PARQUET.write(ExportRows.query(s, sql, List.of("email")), parquet);
            try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
                 var rs = st.executeQuery("select customer_id, spend, signup from read_parquet('" + parquet + "') order by 1")) {
                rs.next();
                assertEquals(1L, rs.getLong(1));
                assertEquals("10.50", rs.getBigDecimal(2).toPlainString());
                assertEquals(java.time.LocalDate.of(2024, 1, 2), rs.getObject(3, java.time.LocalDate.class));
            }
            assertEquals(true, Files.size(parquet) > 0);
        }
    }
}
