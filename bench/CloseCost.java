import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * What closing DuckDB (its checkpoint) costs after the statements of a 1,000-view re-run, against what DirectRun's
 * close costs: per round, (a) a copy of a database a `run` of bench/gen_run_project.py left, its views replaced
 * (`create or replace view`, the engine's statement) with the state table untouched (the engine since the state rows
 * stay in place), (b) the same with the state rows also rewritten (delete + insert of every row, two 500-row
 * batches: what a re-run wrote before), and (c) a new empty file given the same views (DirectRun's database). Prints
 * the close's wall time in ms, min and median of the rounds after 2 of warm-up, in alternating order.
 * Usage: java -cp engine/target/engine-cli.jar bench/CloseCost.java <database left by a run> [rounds, default 10]
 */
public class CloseCost {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CloseCost <database> [rounds]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("closecost");
        List<String> views = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (Connection c = open(source); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select view_name, sql from duckdb_views() where not internal and schema_name = 'main' order by view_name")) {
                while (rs.next()) views.add(rs.getString(2).replaceFirst("(?i)^create view", "create or replace view").replaceAll(";\\s*$", ""));
            }
            try (ResultSet rs = st.executeQuery("select node_id, fingerprint, sql_hash, config_hash, upstream_hash, data_version, run_id from main.sluice_state order by node_id")) {
                while (rs.next()) {
                    List<String> v = new ArrayList<>();
                    for (int i = 1; i <= 6; i++) v.add("'" + rs.getString(i) + "'");
                    v.add("current_timestamp::timestamp");
                    v.add("'" + rs.getString(7) + "'");
                    rows.add("(" + String.join(", ", v) + ")");
                }
            }
        }
        System.out.printf("%d views, %d state rows%n", views.size(), rows.size());
        String[] kinds = {"views only", "views + state rows", "new file (DirectRun)"};
        List<List<Double>> ms = new ArrayList<>();
        for (String ignored : kinds) ms.add(new ArrayList<>());
        for (int round = 0; round < rounds + 2; round++) {
            for (int k0 = 0; k0 < kinds.length; k0++) {
                int k = (k0 + round) % kinds.length;
                Path db = dir.resolve("r" + round + "k" + k + ".duckdb");
                if (k < 2) Files.copy(source, db, StandardCopyOption.REPLACE_EXISTING);
                Connection c = open(db);
                try (Statement st = c.createStatement()) {
                    for (String v : views) st.execute(v);
                    if (k == 1) {
                        c.setAutoCommit(false);
                        for (int from = 0; from < rows.size(); from += 500) {
                            List<String> part = rows.subList(from, Math.min(rows.size(), from + 500));
                            List<String> ids = part.stream().map(r -> r.substring(1, r.indexOf(','))).toList();
                            st.execute("delete from main.sluice_state where node_id in (" + String.join(", ", ids) + ")");
                            st.execute("insert into main.sluice_state values " + String.join(", ", part));
                        }
                        c.commit();
                        c.setAutoCommit(true);
                    }
                }
                long t0 = System.nanoTime();
                c.close();
                double took = (System.nanoTime() - t0) / 1e6;
                if (round >= 2) ms.get(k).add(took);
                Files.deleteIfExists(db);
                Files.deleteIfExists(Path.of(db + ".wal"));
            }
        }
        for (int k = 0; k < kinds.length; k++) {
            List<Double> x = new ArrayList<>(ms.get(k));
            Collections.sort(x);
            System.out.printf("%-22s close: min %.1f ms, median %.1f ms (%d rounds)%n", kinds[k], x.get(0), x.get(x.size() / 2), x.size());
        }
        Files.deleteIfExists(dir);
    }

    private static Connection open(Path db) throws Exception {
        return new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + db, new Properties());
    }
}
