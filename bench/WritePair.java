import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Times variants of writing a table into a DuckDB file, alternately, by wall and process CPU (DuckDB's threads
 * included). Unlike StatementPair's temporary tables, a persistent `create table as` here includes the table's
 * write and compression, which is most of a copy-like node's cost. Each variant is a file of statements separated
 * by ";" at a line end; all but the last are set-up (settings, attach, use) and the last is timed. The connection
 * is shared, so a variant that says `use` must be followed by variants that say their own. Changes the file: run it
 * on a copy. Usage: java -cp engine/target/engine-cli.jar bench/WritePair.java copy.duckdb reps v1.sql v2.sql ...
 */
public class WritePair {
    public static void main(String[] a) throws Exception {
        if (a.length < 3) {
            System.err.println("usage: WritePair file.duckdb reps variant.sql [variant.sql ...]");
            System.exit(2);
        }
        Class.forName("org.duckdb.DuckDBDriver"); // the source launcher does not register drivers from the class path
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int reps = Integer.parseInt(a[1]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + a[0]); Statement s = c.createStatement()) {
            for (int rep = 0; rep < reps; rep++) {
                for (int k = 2; k < a.length; k++) {
                    String[] q = Files.readString(Path.of(a[k])).split(";\\s*\n");
                    for (int i = 0; i < q.length - 1; i++) if (!q[i].isBlank()) s.execute(q[i]);
                    long wall = System.nanoTime(), cpu = os.getProcessCpuTime();
                    s.execute(q[q.length - 1]);
                    System.out.printf("rep %d %s: %.2f s wall, %.2f s CPU (load %s)%n", rep, a[k], (System.nanoTime() - wall) / 1e9,
                            (os.getProcessCpuTime() - cpu) / 1e9, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                    s.execute("reset disabled_compression_methods");
                }
            }
        }
    }
}
