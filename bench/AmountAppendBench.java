import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.*;
import java.util.*;

/**
 * What the raw amount's declared type costs: appends n rows (bigint id, an amount of whole cents as the generator makes
 * them) through the engine's DuckDB append into a table whose amount is each given type, alternating, then checkpoints;
 * prints the process CPU of each load and of a scan narrowing the amounts to decimal(18, 4), with their sum.
 * Usage: java -cp engine/target/engine-cli.jar bench/AmountAppendBench.java <rows> <rounds> <type> [type ...]
 */
public class AmountAppendBench {
    static double cpu() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9; }
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("amount-bench");
        SplittableRandom r = new SplittableRandom(7);
        long[] cents = new long[n];
        for (int i = 0; i < n; i++) cents[i] = Math.min(999_999, Math.max(50, Math.round(Math.exp(3.5 + r.nextGaussian()) * 100)));
        Target target = new Target("bench", "dev", "duckdb", null, "raw", 1, Map.of("type", "duckdb", "path", dir.resolve("b.duckdb").toString()), null);
        try {
            try (DuckDbAdapter adapter = new DuckDbAdapter(target); Session s = adapter.open()) {
                s.execute("create schema raw");
                for (int round = 0; round < Integer.parseInt(a[1]); round++) {
                    for (int k = 2; k < a.length; k++) {
                        String type = a[k];
                        s.execute("drop table if exists raw.t");
                        s.execute("create table raw.t (id bigint, amount " + type + ")");
                        Iterator<List<Object>> rows = new Iterator<>() {
                            int i;
                            public boolean hasNext() { return i < n; }
                            public List<Object> next() { int j = i++; return Arrays.asList((long) j, BigDecimal.valueOf(cents[j], 2)); }
                        };
                        double c0 = cpu(); long w0 = System.nanoTime();
                        long m = s.append(new Relation(null, "raw", "t"), List.of("id", "amount"), List.of(ColumnType.BIGINT, ColumnType.DECIMAL), rows);
                        s.execute("checkpoint");
                        double c1 = cpu(); long w1 = System.nanoTime();
                        Object sum = s.query("select sum(cast(amount as decimal(18, 4))) as x from raw.t").get(0).get("x");
                        System.out.printf("%-16s %d rows: append+checkpoint %.2f s CPU (%.2f s wall); narrowing scan %.2f s CPU; sum %s%n", type, m, c1 - c0, (w1 - w0) / 1e9, cpu() - c1, sum);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
