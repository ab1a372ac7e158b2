import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * What the raw zone's constant batch_id column costs DuckDB by the way it is written, for n rows of a table shaped
 * like raw_transactions (synthetic values, 7 columns before batch_id), each arm in a new database file, fsst disabled as the
 * profile does. Arms: `alter` (the landing today: load without the column, then add it with a default and drop the
 * default, then a checkpoint); `none` (the load alone, then a checkpoint: the baseline both others pay); `append`
 * (the column in the table from the start and its value appended with every row, then a checkpoint); `next` (as
 * alter, but the checkpoint left to the next large commit: another connection appends n/10 rows to another
 * table); `alterdict` (as alter, the column declared `using compression dictionary`, so the checkpoint tries no
 * other method).
 * Prints the process's CPU (DuckDB's threads included) per step, and batch_id's compression after the checkpoint.
 * An arm may name the methods to disable after a colon (alter:fsst,zstd); fsst alone otherwise.
 * Usage: java -Xmx2g -cp engine/target/engine-cli.jar bench/BatchColumnCost.java <rows> <arm>...
 */
public class BatchColumnCost {
    static final String BATCH = "c50000-m18-s42-e2025-06-30";
    static final String[] MERCHANTS = {"Northwind Grocers", "Blue Harbor Electronics", "Cedar & Pine Home", "Quickstop",
            "Sunrise Pharmacy", "Atlas Outdoor Supply", "Luna Books", "Metro Fuel Station"};

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Class.forName("org.duckdb.DuckDBDriver");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int a = 1; a < args.length; a++) {
            String[] parts = args[a].split(":", 2);
            String arm = parts[0], disabled = parts.length > 1 ? parts[1] : "fsst";
            Path dir = Files.createTempDirectory("batch-column-cost");
            String file = dir.resolve("b.duckdb").toString();
            StringBuilder out = new StringBuilder(args[a]);
            try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
                 Statement s = c.createStatement()) {
                s.execute("set disabled_compression_methods = '" + disabled + "'");
                boolean withColumn = arm.equals("append");
                s.execute("create table t (transaction_id bigint, customer_id bigint, transaction_date date, amount decimal(9, 2),"
                        + " merchant varchar, channel varchar, status varchar" + (withColumn ? ", batch_id varchar" : "") + ")");
                long cpu = os.getProcessCpuTime(), wall = System.nanoTime();
                try (DuckDBAppender app = c.createAppender("main", "t")) {
                    for (long i = 0; i < n; i++) {
                        app.beginRow();
                        app.append(i);
                        app.append(i / 277);
                        app.append(java.time.LocalDate.ofEpochDay(19900 + (i % 540)));
                        app.append(new java.math.BigDecimal(java.math.BigInteger.valueOf(100 + (i * 7919) % 50000), 2));
                        app.append(MERCHANTS[(int) (i * 31 % MERCHANTS.length)]);
                        app.append(i % 3 == 0 ? "online" : "store");
                        app.append(i % 50 == 0 ? "refunded" : "completed");
                        if (withColumn) app.append(BATCH);
                        app.endRow();
                    }
                }
                cpu = step(out, "load", os, cpu, wall);
                wall = System.nanoTime();
                if (arm.equals("alter") || arm.equals("next") || arm.equals("alterdict")) {
                    s.execute("begin");
                    s.execute("alter table t add column batch_id varchar" + (arm.equals("alterdict") ? " using compression dictionary" : "")
                            + " default '" + BATCH + "'");
                    s.execute("alter table t alter column batch_id drop default");
                    s.execute("commit");
                    cpu = step(out, "alter", os, cpu, wall);
                    wall = System.nanoTime();
                }
                if (arm.equals("next")) {
                    try (DuckDBConnection c2 = (DuckDBConnection) c.duplicate(); Statement s2 = c2.createStatement()) {
                        s2.execute("create table u (id bigint, v varchar)");
                        try (DuckDBAppender app = c2.createAppender("main", "u")) {
                            for (long i = 0; i < n / 10; i++) {
                                app.beginRow();
                                app.append(i);
                                app.append(MERCHANTS[(int) (i % MERCHANTS.length)]);
                                app.endRow();
                            }
                        }
                    }
                    cpu = step(out, "next-commit", os, cpu, wall);
                    wall = System.nanoTime();
                }
                s.execute("checkpoint");
                step(out, "checkpoint", os, cpu, wall);
                if (!arm.equals("none")) {
                    var rs = s.executeQuery("select string_agg(distinct compression, ',') from pragma_storage_info('t') where column_name = 'batch_id'");
                    rs.next();
                    out.append("  batch_id: ").append(rs.getString(1));
                    rs = s.executeQuery("select count(*) filter (where batch_id = '" + BATCH + "'), count(*) from t");
                    rs.next();
                    out.append(" ").append(rs.getLong(1)).append("/").append(rs.getLong(2));
                }
            }
            System.out.println(out);
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static long step(StringBuilder out, String name, com.sun.management.OperatingSystemMXBean os, long cpu, long wall) {
        long now = os.getProcessCpuTime();
        out.append(String.format("  %s %.2f s CPU %.2f s wall", name, (now - cpu) / 1e9, (System.nanoTime() - wall) / 1e9));
        return now;
    }
}
