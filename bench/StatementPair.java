import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Times two compiled statements of one node side by side in one JVM on a built DuckDB file (each made into a temp
 * table, alternately, `reps` times: the file is not changed), then checks they give the same rows: except-all
 * both ways, leaving out the columns that record the run (run_id, audited_at, loaded_at), must be empty.
 * CPU is the process's (DuckDB's threads included). Exits 1 when the rows differ.
 * Usage: java -cp engine/target/engine-cli.jar bench/StatementPair.java copy.duckdb before.sql after.sql [reps]
 */
public class StatementPair {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StatementPair file.duckdb before.sql after.sql [reps]");
            System.exit(2);
        }
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String[] sql = {Files.readString(Path.of(args[1])), Files.readString(Path.of(args[2]))};
        Class.forName("org.duckdb.DuckDBDriver"); // the source launcher does not register drivers from the class path
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            for (int rep = 0; rep < reps; rep++) {
                for (int k = 0; k < 2; k++) {
                    long wall = System.nanoTime(), cpu = os.getProcessCpuTime();
                    s.execute("create or replace temp table pair_" + k + " as " + sql[k]);
                    System.out.printf("rep %d %s: %.2f s wall, %.2f s CPU%n", rep, args[1 + k],
                            (System.nanoTime() - wall) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
                }
            }
            String run = "run_id, audited_at, loaded_at";
            String cols0 = columnsExcept(s, "pair_0", run), cols1 = columnsExcept(s, "pair_1", run);
            if (!cols0.equals(cols1)) {
                System.out.println("columns differ: " + cols0 + " / " + cols1);
                System.exit(1);
            }
            long extra = scalar(s, "select count(*) from (select " + cols0 + " from pair_0 except all select " + cols0 + " from pair_1)");
            long missing = scalar(s, "select count(*) from (select " + cols0 + " from pair_1 except all select " + cols0 + " from pair_0)");
            System.out.printf("rows %d / %d; only before: %d, only after: %d%n",
                    scalar(s, "select count(*) from pair_0"), scalar(s, "select count(*) from pair_1"), extra, missing);
            if (extra != 0 || missing != 0) System.exit(1);
        }
    }

    /** The table's columns with their types, in order, without the run's own columns. */
    private static String columnsExcept(Statement s, String table, String run) throws Exception {
        StringBuilder cols = new StringBuilder();
        try (ResultSet r = s.executeQuery("select column_name, data_type from information_schema.columns where table_name = '"
                + table + "' order by ordinal_position")) {
            while (r.next()) {
                if (run.contains(r.getString(1))) continue;
                cols.append(cols.length() == 0 ? "" : ", ").append('"').append(r.getString(1)).append('"');
                cols.append(" /* ").append(r.getString(2)).append(" */");
            }
        }
        return cols.toString();
    }

    private static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
