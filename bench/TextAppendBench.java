import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/**
 * What text columns of a few values cost to append: n rows of four such columns (58 merchant-like names, 12
 * categories, 3 channels, 4 statuses) through the engine's DuckDB append, each column declared as each given type
 * (e.g. "varchar" and "varchar using compression dictionary"), alternating, then a checkpoint; prints the process
 * CPU, the storage DuckDB chose and a hash of the rows. THREADS=n in the environment sets DuckDB's threads first;
 * STORAGE=v1.4.0 (say) creates the file in that storage format (a type that format refuses fails the create).
 * Usage: [THREADS=n] [STORAGE=version] java -cp engine/target/engine-cli.jar bench/TextAppendBench.java <rows> <rounds> <type> [type ...]
 */
public class TextAppendBench {
    static double cpu() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9; }
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("text-bench");
        String[] merchants = new String[58];
        for (int i = 0; i < 58; i++) merchants[i] = (i % 3 == 0 ? "  " : "") + "Merchant " + "abcdefghijklmnopqrstu".substring(0, 5 + i % 12) + i;
        String[] cats = {"Groceries", "Entertainment", "Dining", "Travel", "Airlines", "Gas", "Online Retail", "Hotels", "Health", "Education", "Utilities", "Home Improvement"};
        String[] ch = {"Online", "In-Store", "Mobile"}, st = {"Approved", "Declined", "Pending", "Refunded"};
        SplittableRandom r = new SplittableRandom(3);
        byte[][] pick = new byte[4][n];
        for (int i = 0; i < n; i++) { pick[0][i] = (byte) r.nextInt(58); pick[1][i] = (byte) r.nextInt(12); pick[2][i] = (byte) r.nextInt(3); pick[3][i] = (byte) (r.nextDouble() < 0.97 ? 0 : r.nextInt(4)); }
        Target target = new Target("bench", "dev", "duckdb", null, "raw", 1, System.getenv("STORAGE") == null ? Map.of("type", "duckdb", "path", dir.resolve("b.duckdb").toString())
                : Map.of("type", "duckdb", "path", dir.resolve("b.duckdb").toString(),
                        "settings", Map.of("storage_compatibility_version", System.getenv("STORAGE"))), null);
        try {
            try (DuckDbAdapter adapter = new DuckDbAdapter(target); Session s = adapter.open()) {
                s.execute("create schema raw");
                if (System.getenv("THREADS") != null) s.execute("set threads = " + System.getenv("THREADS"));
                for (int round = 0; round < Integer.parseInt(a[1]); round++) {
                    for (int k = 2; k < a.length; k++) {
                        String type = a[k];
                        s.execute("drop table if exists raw.t");
                        s.execute("create table raw.t (m " + type + ", c " + type + ", ch " + type + ", st " + type + ")");
                        Iterator<List<Object>> rows = new Iterator<>() {
                            int i;
                            public boolean hasNext() { return i < n; }
                            public List<Object> next() { int j = i++; return Arrays.asList(merchants[pick[0][j]], cats[pick[1][j]], ch[pick[2][j]], st[pick[3][j]]); }
                        };
                        double c0 = cpu(); long w0 = System.nanoTime();
                        long m = s.append(new Relation(null, "raw", "t"), List.of("m", "c", "ch", "st"), List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT), rows);
                        s.execute("checkpoint");
                        double c1 = cpu(); long w1 = System.nanoTime();
                        Object h = s.query("select sum(hash(m, c, ch, st)) as x from raw.t").get(0).get("x");
                        Object comp = s.query("select string_agg(distinct compression, ',') as x from pragma_storage_info('raw.t') where segment_type = 'VARCHAR'").get(0).get("x");
                        System.out.printf("%-40s %d rows: append+checkpoint %.2f s CPU (%.2f s wall); scan %.2f s CPU; %s %s%n", type, m, c1 - c0, (w1 - w0) / 1e9, cpu() - c1, comp, h);
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
