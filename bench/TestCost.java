import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What each data test costs on a built DuckDB file, by process CPU (DuckDB's threads included): every .sql file
 * under a folder of compiled tests is run as the engine's TestJob asks, `select count(*)` of its failing rows,
 * `reps` times in one JVM; the least CPU of the reps is printed with the failing count, costliest first. In a build
 * tests wait for threads, so their node times say little about their cost; this does. The file is only read.
 * Usage: java -cp engine/target/engine-cli.jar bench/TestCost.java copy.duckdb <folder of compiled test .sql> [reps]
 */
public class TestCost {
    public static void main(String[] a) throws Exception {
        if (a.length < 2) {
            System.err.println("usage: TestCost file.duckdb folder-of-test-sql [reps]");
            System.exit(2);
        }
        int reps = a.length > 2 ? Integer.parseInt(a[2]) : 2;
        Class.forName("org.duckdb.DuckDBDriver"); // the source launcher does not register drivers from the class path
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Path> files;
        try (Stream<Path> w = Files.walk(Path.of(a[1]))) {
            files = w.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        record Cost(double cpu, long failing, String test) {}
        List<Cost> costs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + a[0]); Statement s = c.createStatement()) {
            for (Path p : files) {
                String sql = Files.readString(p);
                double least = Double.MAX_VALUE;
                long failing = -1;
                for (int r = 0; r < reps; r++) {
                    long cpu = os.getProcessCpuTime();
                    try (ResultSet rs = s.executeQuery("select count(*) from (\n" + sql + "\n) t")) {
                        rs.next();
                        failing = rs.getLong(1);
                    }
                    least = Math.min(least, (os.getProcessCpuTime() - cpu) / 1e9);
                }
                costs.add(new Cost(least, failing, p.getFileName().toString()));
            }
        }
        costs.sort(Comparator.comparingDouble(Cost::cpu).reversed());
        for (Cost x : costs) System.out.printf("%.3f s CPU, %d failing: %s%n", x.cpu(), x.failing(), x.test());
        System.out.printf("%d tests, %.2f s CPU summed (least of %d reps each; load %s)%n", costs.size(),
                costs.stream().mapToDouble(Cost::cpu).sum(), reps, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
