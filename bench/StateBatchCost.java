import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * What one batch of state rows costs DuckDB, by batch size: a delete of the batch's node ids and an insert of their
 * rows as one `values` list, in one transaction, the statements FingerprintStore.writeAllSql writes. Run on a COPY
 * of a database that a `run` of bench/gen_run_project.py left (its main.sluice_state has the rows): the rows are
 * rewritten. Prints the calling thread's CPU (DuckDB runs these statements on it) and the wall time, min and median
 * of 16 rounds after 8 of warm-up, alternating the sizes.
 * Usage: java -cp engine/target/engine-cli.jar bench/StateBatchCost.java copy.duckdb [sizes, default 500,100]
 */
public class StateBatchCost {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StateBatchCost copy.duckdb [sizes]");
            System.exit(2);
        }
        String[] sizes = (args.length > 1 ? args[1] : "500,100").split(",");
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + args[0], new Properties());
             Statement st = c.createStatement()) {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select node_id from main.sluice_state order by node_id")) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            List<List<Double>> cpu = new ArrayList<>(), wall = new ArrayList<>();
            for (String ignored : sizes) {
                cpu.add(new ArrayList<>());
                wall.add(new ArrayList<>());
            }
            for (int round = 0; round < 24; round++) {
                for (int k = 0; k < sizes.length; k++) {
                    int n = Math.min(ids.size(), Integer.parseInt(sizes[k].strip()));
                    List<String> part = ids.subList(0, n);
                    String delete = "delete from \"main\".\"sluice_state\" where \"node_id\" in ("
                            + String.join(", ", part.stream().map(x -> "'" + x + "'").toList()) + ")";
                    String insert = "insert into \"main\".\"sluice_state\" (\"node_id\", \"fingerprint\", \"sql_hash\", "
                            + "\"config_hash\", \"upstream_hash\", \"data_version\", \"built_at\", \"run_id\") values "
                            + String.join(", ", part.stream().map(x -> "('" + x + "', '" + "f".repeat(64) + "', '"
                            + "s".repeat(64) + "', '" + "c".repeat(64) + "', '" + "u".repeat(64) + "', '', timestamp "
                            + "'2026-12-01 19:30:00.123456', '" + UUID.randomUUID() + "')").toList());
                    long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    c.setAutoCommit(false);
                    st.execute(delete);
                    st.execute(insert);
                    c.commit();
                    c.setAutoCommit(true);
                    long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
                    if (round >= 8) {
                        cpu.get(k).add((c1 - c0) / 1e6);
                        wall.get(k).add((w1 - w0) / 1e6);
                    }
                }
            }
            for (int k = 0; k < sizes.length; k++) {
                List<Double> x = cpu.get(k), y = wall.get(k);
                Collections.sort(x);
                Collections.sort(y);
                System.out.printf("%s rows: CPU min %.1f median %.1f ms; wall min %.1f median %.1f ms%n", sizes[k].strip(),
                        x.get(0), x.get(x.size() / 2), y.get(0), y.get(y.size() / 2));
            }
        }
    }
}
