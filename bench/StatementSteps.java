import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.sql.*;
/**
 * Times variants that are each a sequence of statements (a node's table, its checkpoint, the copies, models and tests
 * that read it) on one DuckDB file, by wall and process CPU (DuckDB's threads included), summed over the sequence. Reps
 * alternate the order (A B, B A, ...) so a drift in the machine's load falls on both. Changes the file: run it on a
 * copy. Usage: java -cp engine/target/engine-cli.jar bench/StatementSteps.java copy.duckdb reps a.sql b.sql ...
 */
public class StatementSteps {
    // A variant file: statements split by ";" at a line end; a statement starting with "--setup" runs untimed.
    public static void main(String[] a) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int reps = Integer.parseInt(a[1]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + a[0]); Statement s = c.createStatement()) {
            for (int rep = 0; rep < reps; rep++) for (int k = 2; k < a.length; k++) {
                int kk = (rep % 2 == 0) ? k : a.length + 1 - k; // ABBA
                String[] q = Files.readString(Path.of(a[kk])).split(";\\s*\n");
                double cpuT = 0, wallT = 0;
                for (String x : q) {
                    if (x.isBlank()) continue;
                    boolean setup = x.strip().startsWith("--setup");
                    long w = System.nanoTime(), cp = os.getProcessCpuTime();
                    s.execute(x);
                    if (!setup) { cpuT += (os.getProcessCpuTime() - cp) / 1e9; wallT += (System.nanoTime() - w) / 1e9; }
                }
                System.out.printf("rep %d %s: %.2f s wall, %.2f s CPU (load %s)%n", rep, a[kk], wallT, cpuT,
                        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            }
        }
    }
}
