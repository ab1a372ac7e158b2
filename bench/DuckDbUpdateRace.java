import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Races JobLock's statements (insert-if-absent, conditional claim, settle, free) from 8 connections of one DuckDB
 * database in one process, without the engine's in-process section, to tell whether a DuckDB driver still fails
 * fatally on concurrent updates of one table ("Unaligned fetch in validity and main column data for update" on
 * 1.4.4). Write-write conflicts are expected and ignored; a fatal error stops the race and exits 1.
 * Usage: java -cp <duckdb_jdbc jar> bench/DuckDbUpdateRace.java file.duckdb [rounds]
 */
public class DuckDbUpdateRace {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DuckDbUpdateRace file.duckdb [rounds]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int takers = 8;
        Class.forName("org.duckdb.DuckDBDriver"); // the source launcher does not register drivers from the class path
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(args[0]));
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(args[0] + ".wal"));
        org.duckdb.DuckDBConnection root = DriverManager.getConnection("jdbc:duckdb:" + args[0]).unwrap(org.duckdb.DuckDBConnection.class);
        try (Statement s = root.createStatement()) {
            s.execute("create table locks (job varchar, owner varchar, acquired_at timestamp, heartbeat_at timestamp, expires_at timestamp)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < rounds; round++) {
                String job = round % 2 == 0 ? "first-" + round : "nightly";
                CyclicBarrier start = new CyclicBarrier(takers);
                List<Future<Void>> done = new ArrayList<>();
                for (int i = 0; i < takers; i++) {
                    String me = "taker " + i + " of round " + round;
                    done.add(pool.submit(() -> {
                        start.await();
                        try (Connection c = root.duplicate()) {
                            race(c, job, me);
                        }
                        return null;
                    }));
                }
                for (Future<Void> f : done) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        System.out.println("round " + round + ": " + e.getCause().getMessage().lines().findFirst().orElse(""));
                        System.exit(1);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("no fatal error in " + rounds + " rounds of " + takers + " takers");
    }

    private static void race(Connection c, String job, String me) throws SQLException {
        String where = " where job = '" + job + "'";
        tolerant(c, "insert into locks select '" + job + "', null, null, null, null where not exists (select 1 from locks" + where + ")");
        for (int k = 0; k < 3; k++) {
            tolerant(c, "update locks set owner = '" + me + "', acquired_at = now(), heartbeat_at = null, expires_at = now() + interval 5 minute"
                    + where + " and (owner is null or owner = '" + me + "' or expires_at < now())");
            tolerant(c, "update locks set heartbeat_at = now()" + where + " and owner = '" + me + "'");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from locks" + where)) {
            while (rs.next()) rs.getObject(1);
        }
        tolerant(c, "update locks set owner = null, acquired_at = null, heartbeat_at = null, expires_at = null" + where + " and owner = '" + me + "'");
    }

    /** Runs a statement; a write-write conflict is the race's expected outcome, anything fatal is not. */
    private static void tolerant(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("FATAL")) throw e;
        }
    }
}
