import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.generate.RetailGenerator;
import dev.sluice.generate.RetailSpec;
import dev.sluice.project.Target;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What appending the generator's transactions to DuckDB costs by way of the values handed to the appender, with
 * generation left out (the rows of the first <customers> people are made first and held in memory). Modes, each into
 * a new database file and table declared as the loader declares raw_transactions, then a checkpoint:
 * `rows` the engine's path (Session.append of List<Object> rows: boxed ids, BigDecimal amounts, LocalDate dates);
 * `typed` DuckDB's appender fed primitives (long ids, epoch days, the amount's unscaled cents) and Strings;
 * `bytes` as typed, with each text value's UTF-8 bytes encoded once per distinct String instead of once per value
 * (and then a copy of the table by insert-select: DuckDB's own cost of writing the same rows);
 * `enum` typed values and the text as ENUMs into a temporary table (no JNI call per long text), then one
 * insert-select casting them back to text; `gen-direct` the engine's path with the rows generated as they go.
 * Prints the process's CPU (DuckDB's worker threads included) for the append and for the checkpoint.
 * Usage: java -Xmx3g -cp engine/target/engine-cli.jar bench/AppendPathBench.java <customers> <mode>...
 */
public class AppendPathBench {
    private static final String DDL = "create table t (transaction_id bigint, customer_id bigint, transaction_date date,"
            + " amount decimal(9, 2), merchant varchar using compression dictionary, merchant_category varchar using"
            + " compression dictionary, channel varchar using compression dictionary, status varchar using compression"
            + " dictionary)";

    public static void main(String[] args) throws Exception {
        int customers = Integer.parseInt(args[0]);
        RetailGenerator gen = new RetailGenerator(new RetailSpec(customers, 18, 42, LocalDate.of(2025, 6, 30)));
        List<List<Object>> rows = new ArrayList<>();
        boolean held = java.util.Arrays.stream(args).skip(1).anyMatch(m -> !m.startsWith("gen-"));
        if (held) gen.transactions().forEachRemaining(rows::add);
        int n = rows.size();
        long[] id = new long[n], cust = new long[n];
        int[] day = new int[n], cents = new int[n];
        String[][] text = new String[4][n];
        for (int i = 0; i < n; i++) {
            List<Object> r = rows.get(i);
            id[i] = (Long) r.get(0);
            cust[i] = (Long) r.get(1);
            day[i] = (int) ((LocalDate) r.get(2)).toEpochDay();
            cents[i] = ((BigDecimal) r.get(3)).unscaledValue().intValueExact();
            for (int c = 0; c < 4; c++) text[c][i] = (String) r.get(4 + c);
        }
        System.out.printf("%d rows of %d customers%n", n, customers);
        for (int a = 1; a < args.length; a++) {
            String mode = args[a];
            Path dir = Files.createTempDirectory("append-path-bench");
            String file = dir.resolve("b.duckdb").toString();
            long[] t0 = now();
            if (mode.equals("gen-direct")) {
                // The engine's path with the rows generated as they are appended, as in the node. (Its counterpart
                // `gen-lists`, the same with the transactions' value lists, is in 8bda03b, with the code it measured.)
                engineAppend(file, mode, "generate + append", gen::transactions, true);
            } else if (mode.equals("rows")) {
                engineAppend(file, mode, "append", rows::iterator, false);
            } else if (mode.equals("enum")) {
                try (DuckDBConnection c = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + file, new java.util.Properties());
                     Statement st = c.createStatement()) {
                    st.execute(DDL);
                    StringBuilder stage = new StringBuilder("create temp table stage (transaction_id bigint, customer_id bigint,"
                            + " transaction_date date, amount decimal(9, 2)");
                    String[] names = {"merchant", "merchant_category", "channel", "status"};
                    for (int k = 0; k < 4; k++) {
                        java.util.LinkedHashSet<String> values = new java.util.LinkedHashSet<>(java.util.Arrays.asList(text[k]));
                        stage.append(", ").append(names[k]).append(" enum(");
                        stage.append(String.join(", ", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList()));
                        stage.append(")");
                    }
                    st.execute(stage + ")");
                    t0 = now();
                    c.setAutoCommit(false);
                    st.execute("select 1");
                    try (DuckDBAppender app = c.createAppender("temp", "main", "stage")) {
                        for (int i = 0; i < n; i++) {
                            app.beginRow();
                            app.append(id[i]);
                            app.append(cust[i]);
                            app.appendEpochDays(day[i]);
                            app.appendDecimal(cents[i]);
                            for (int k = 0; k < 4; k++) app.append(text[k][i]);
                            app.endRow();
                        }
                        app.flush();
                    }
                    t0 = report(mode + " append to the stage", t0);
                    st.execute("insert into t select transaction_id, customer_id, transaction_date, amount, merchant::varchar,"
                            + " merchant_category::varchar, channel::varchar, status::varchar from stage");
                    st.execute("drop table stage");
                    c.commit();
                    t0 = report(mode + " insert-select + commit", t0);
                    c.setAutoCommit(true);
                    st.execute("checkpoint");
                    report(mode + " checkpoint", t0);
                    try (var rs = st.executeQuery("select count(*), sum(amount), sum(hash(merchant, merchant_category, channel, status, transaction_date, transaction_id, customer_id)) from t")) {
                        rs.next();
                        System.out.println("  " + rs.getLong(1) + " rows, amount " + rs.getBigDecimal(2) + ", hash " + rs.getString(3));
                    }
                }
            } else {
                boolean bytes = mode.equals("bytes");
                if (!bytes && !mode.equals("typed")) throw new IllegalArgumentException("mode: rows, typed or bytes");
                try (DuckDBConnection c = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + file, new java.util.Properties());
                     Statement st = c.createStatement()) {
                    st.execute(DDL);
                    t0 = now();
                    c.setAutoCommit(false);
                    st.execute("select 1");
                    Map<String, byte[]> utf8 = new IdentityHashMap<>();
                    try (DuckDBAppender app = c.createAppender("main", "t")) {
                        for (int i = 0; i < n; i++) {
                            app.beginRow();
                            app.append(id[i]);
                            app.append(cust[i]);
                            app.appendEpochDays(day[i]);
                            app.appendDecimal(cents[i]);
                            for (int k = 0; k < 4; k++) {
                                String v = text[k][i];
                                if (bytes) app.append(utf8.computeIfAbsent(v, x -> x.getBytes(StandardCharsets.UTF_8)));
                                else app.append(v);
                            }
                            app.endRow();
                        }
                        app.flush();
                    }
                    c.commit();
                    t0 = report(mode + " append", t0);
                    c.setAutoCommit(true);
                    st.execute("checkpoint");
                    report(mode + " checkpoint", t0);
                    if (mode.equals("bytes")) {
                        // DuckDB's own cost of writing the same rows, whatever hands them over: a copy of the table.
                        st.execute(DDL.replace("create table t ", "create table t2 "));
                        t0 = now();
                        st.execute("insert into t2 select * from t");
                        report("copy of the table in SQL (insert-select)", t0);
                    }
                    try (var rs = st.executeQuery("select count(*), sum(amount), sum(hash(merchant, merchant_category, channel, status, transaction_date, transaction_id, customer_id)) from t")) {
                        rs.next();
                        System.out.println("  " + rs.getLong(1) + " rows, amount " + rs.getBigDecimal(2) + ", hash " + rs.getString(3));
                    }
                }
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * The engine's path: Session.append of the rows into a new table declared as DDL, then a checkpoint, each timed;
     * the rows are asked for only once the table exists, so a generating iterator's work is timed with the append.
     */
    private static void engineAppend(String file, String mode, String what,
                                     java.util.function.Supplier<Iterator<List<Object>>> rows, boolean printHash) throws Exception {
        Target target = new Target("bench", "dev", "duckdb", null, "main", 1, Map.of("type", "duckdb", "path", file), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target); Session s = adapter.open()) {
            s.execute(DDL);
            long[] t0 = now();
            s.append(new Relation(null, "main", "t"), RetailGenerator.TRANSACTION_COLUMNS,
                    RetailGenerator.TRANSACTION_TYPES, rows.get());
            t0 = report(mode + " " + what, t0);
            s.execute("checkpoint");
            report(mode + " checkpoint", t0);
            if (printHash) {
                System.out.println("  " + s.query("select count(*) n, sum(hash(merchant, merchant_category, channel, status,"
                        + " transaction_date, transaction_id, customer_id, amount)) h from main.t").get(0));
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
