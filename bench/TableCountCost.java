import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a row count costs a small DuckDB table model: the 200 tables of bench/gen_run_project.py (10 rows each, in
 * layers of 50, each reading one of the layer before), replaced in one pass by `create or replace table ... as`
 * alone (what the engine sends since DuckDB's driver reports no count for it), by that statement followed by a
 * `select count(*)` (what it sent before), and by both in one JDBC string. The three forms alternate pass by pass in
 * one JVM on one new database file; the first round is warm-up. Prints, per form, the wall time of a pass and the
 * calling thread's CPU (DuckDB runs these statements on it), min and median.
 * Usage: java -cp engine/target/engine-cli.jar bench/TableCountCost.java new.duckdb [rounds, default 12] [tables, default 200]
 */
public class TableCountCost {
    private static final String[] FORMS = {"create only", "create, then count(*)", "both in one string"};

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TableCountCost new.duckdb [rounds] [tables]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int tables = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        for (String f : FORMS) times.put(f, new ArrayList<>());
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + args[0], new Properties())) {
            for (int round = 0; round <= rounds; round++) {
                for (int k = 0; k < FORMS.length; k++) {
                    int form = (k + round) % FORMS.length;
                    long wall = System.nanoTime();
                    long cpu = mx.getCurrentThreadCpuTime();
                    long rows = 0;
                    for (int i = 0; i < tables; i++) rows += replace(c, form, i);
                    double[] t = {(System.nanoTime() - wall) / 1e6, (mx.getCurrentThreadCpuTime() - cpu) / 1e6};
                    if (form > 0 && rows != tables * 10L) throw new IllegalStateException("counted " + rows + " rows");
                    if (round > 0) times.get(FORMS[form]).add(t);
                }
            }
        }
        System.out.printf("%d tables per pass, %d passes per form%n", tables, rounds);
        for (Map.Entry<String, List<double[]>> e : times.entrySet()) {
            System.out.printf("%-22s wall min %.1f ms, median %.1f ms | thread CPU min %.1f ms, median %.1f ms%n", e.getKey(),
                    min(e.getValue(), 0), median(e.getValue(), 0), min(e.getValue(), 1), median(e.getValue(), 1));
        }
    }

    /** Replaces table m{i} in the given form; the rows it counted, or 0. */
    private static long replace(Connection c, int form, int i) throws Exception {
        String body = i < 50 ? "select range as id, range * " + i + " as amount from range(10)"
                : "select id, amount + 1 as amount from m" + (i - 50);
        String create = "create or replace table m" + i + " as (\n" + body + "\n)";
        String count = "select count(*) as n from m" + i;
        try (Statement st = c.createStatement()) {
            if (form == 0) {
                st.execute(create);
                return 0;
            }
            if (form == 1) {
                st.execute(create);
                try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery(count)) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            try (ResultSet rs = st.executeQuery(create + ";\n" + count)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double min(List<double[]> xs, int k) {
        return xs.stream().mapToDouble(x -> x[k]).min().orElse(Double.NaN);
    }

    private static double median(List<double[]> xs, int k) {
        List<Double> v = new ArrayList<>();
        for (double[] x : xs) v.add(x[k]);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
