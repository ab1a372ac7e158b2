import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.generate.ProgressListener;
import dev.sluice.generate.RetailGenerator;
import dev.sluice.generate.RetailLoader;
import dev.sluice.generate.RetailSpec;
import dev.sluice.project.Target;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where the retail generator's time goes, in CPU seconds of this process (comparable under load, wall time is not):
 * `gen` generates the transactions without storing them and counts the engagement rows; `load` appends customers
 * and transactions to a new DuckDB file with the given number of generator threads (the node uses 1; on DuckDB that
 * many + 1 sessions each generate and append blocks of people, see RetailLoader), then the engagement tables, then lands the transactions as the raw zone did before and does
 * now: a copy with batch_id added, against adding batch_id as a constant column and renaming.
 * `count` makes only the progress totals' counting pass (RetailLoader.countAhead's), in a fresh JVM as the node does.
 * Usage: java -cp engine/target/engine-cli.jar bench/GeneratorBench.java gen|count|load <customers> [threads]
 */
public class GeneratorBench {
    public static void main(String[] args) throws Exception {
        RetailSpec spec = new RetailSpec(Integer.parseInt(args[1]), 18, 42, LocalDate.of(2025, 6, 30));
        RetailGenerator gen = new RetailGenerator(spec);
        long[] start = now();
        if (args[0].equals("gen")) {
            long n = 0;
            for (Iterator<List<Object>> it = gen.transactions(); it.hasNext(); it.next()) n++;
            start = report("generate " + n + " transactions", start);
            n = gen.emailEventCount() + gen.sessionCount();
            report("count " + n + " engagement rows", start);
            return;
        }
        if (args[0].equals("count")) {
            // The progress totals' pass as the node's counting thread makes it: once, in a fresh JVM.
            long t = gen.transactionCount();
            start = report("count " + t + " transactions", start);
            long n = gen.emailEventCount() + gen.sessionCount();
            report("count " + n + " engagement rows", start);
            return;
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = Files.createTempDirectory("generator-bench");
        Target target = new Target("bench", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("bench.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            RetailLoader loader = new RetailLoader(adapter, null, "raw", threads);
            RetailLoader.Result r = loader.load(spec, ProgressListener.NONE);
            start = report("load " + r.customerRows() + " customers + " + r.transactionRows() + " transactions, "
                    + threads + " generator thread(s)", start);
            long[] e = loader.loadEngagement(spec, new Relation(null, "raw", "e"), new Relation(null, "raw", "s"), ProgressListener.NONE);
            start = report("load " + e[0] + " + " + e[1] + " engagement rows", start);
            try (Session s = adapter.open()) {
                s.execute("create table raw.copied as select l.*, cast('batch' as varchar) as batch_id from raw.raw_transactions l");
                start = report("land the transactions by copy", start);
                s.execute("alter table raw.raw_transactions add column batch_id varchar default cast('batch' as varchar)");
                s.execute("alter table raw.raw_transactions alter column batch_id drop default");
                s.execute("alter table raw.raw_transactions rename to renamed");
                report("land the transactions by constant column + rename", start);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long[] now() {
        return new long[]{System.nanoTime(), cpu()};
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long[] report(String what, long[] start) {
        System.out.printf("%s: %.2f s CPU, %.2f s wall, load %.1f%n", what, (cpu() - start[1]) / 1e9,
                (System.nanoTime() - start[0]) / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return now();
    }
}
