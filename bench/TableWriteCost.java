import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * What one DuckDB setting costs or saves when a table is written: copies a table of a built DuckDB file into a new
 * table of the same file (create table as, then a checkpoint, so the compressed column segments are written),
 * with the setting at value A and at value B alternately (ABBA), `reps` times each. Prints the process's CPU
 * (DuckDB's threads included) and wall per copy, the compression DuckDB chose for the copy's text columns, and
 * whether the copy's rows equal the source's (except-all both ways). The copies are dropped: a copy of the file
 * is to be given, as each checkpoint rewrites it.
 * Usage: java -cp engine/target/engine-cli.jar bench/TableWriteCost.java copy.duckdb schema.table setting valueA valueB [reps]
 * e.g. ... copy.duckdb main_gold.fct_transactions disabled_compression_methods '' fsst 4
 */
public class TableWriteCost {
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: TableWriteCost file.duckdb schema.table setting valueA valueB [reps]");
            System.exit(2);
        }
        String table = args[1], setting = args[2];
        String[] values = {args[3], args[4]};
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        Class.forName("org.duckdb.DuckDBDriver"); // the source launcher does not register drivers from the class path
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] sum = new double[2];
        boolean same = true;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            s.execute("drop table if exists table_write_cost");
            for (int rep = 0; rep < reps; rep++) {
                for (int k = 0; k < 2; k++) {
                    int arm = rep % 2 == 0 ? k : 1 - k;
                    s.execute("set " + setting + " = '" + values[arm].replace("'", "''") + "'");
                    long wall = System.nanoTime(), cpu = os.getProcessCpuTime();
                    s.execute("create table table_write_cost as select * from " + table);
                    s.execute("checkpoint");
                    double dc = (os.getProcessCpuTime() - cpu) / 1e9, dw = (System.nanoTime() - wall) / 1e9;
                    sum[arm] += dc;
                    String chosen;
                    try (ResultSet r = s.executeQuery("select coalesce(string_agg(distinct compression, ', ' order by compression), 'none') "
                            + "from pragma_storage_info('table_write_cost') where segment_type = 'VARCHAR'")) {
                        r.next();
                        chosen = r.getString(1);
                    }
                    if (rep == 0) {
                        try (ResultSet r = s.executeQuery("select (select count(*) from (select * from table_write_cost except all select * from "
                                + table + ")) + (select count(*) from (select * from " + table + " except all select * from table_write_cost))")) {
                            r.next();
                            same &= r.getLong(1) == 0;
                        }
                    }
                    System.out.printf("rep %d, %s = '%s': %.2f s CPU, %.2f s wall; text columns stored as %s; load %.1f%n",
                            rep + 1, setting, values[arm], dc, dw, chosen, os.getSystemLoadAverage());
                    s.execute("drop table table_write_cost");
                    s.execute("checkpoint");
                }
            }
        }
        System.out.printf("mean CPU: '%s' %.2f s, '%s' %.2f s; rows %s%n", values[0], sum[0] / reps, values[1], sum[1] / reps,
                same ? "identical" : "DIFFER");
        if (!same) System.exit(1);
    }
}
