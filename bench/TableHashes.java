import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Fingerprints every base table of a built DuckDB file, to show that a speed change left the data as it was:
 * one line per table with its row count and an order-independent hash sum (the sum of DuckDB's hash of each
 * whole row, so row order and the engine's parallelism do not matter but any changed value, row or column does).
 * Two builds are compared with diff on the outputs. What records the run itself differs between any two builds,
 * so it is left out of the hash: timestamp columns (load, audit, training and snapshot validity times) and the
 * columns named after the file (default: run_id, invocation_id, dbt_scd_id, a snapshot's hash of its time); each
 * line lists what it left out. Doubles are hashed rounded to 9 places. Whole tables about the run (run log, model
 * registry with its training times and data fingerprints) still differ: compare those by count.
 * Usage: java -cp engine/target/engine-cli.jar bench/TableHashes.java project/target/retail.duckdb [column ...] > hashes.txt
 */
public class TableHashes {
    public static void main(String[] args) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver");
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0], readOnly); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_schema, table_name from information_schema.tables "
                    + "where table_type = 'BASE TABLE' order by 1, 2")) {
                while (rs.next()) tables.add('"' + rs.getString(1) + "\".\"" + rs.getString(2) + '"');
            }
            java.util.Set<String> volatileNames = new java.util.HashSet<>(args.length > 1
                    ? List.of(args).subList(1, args.length) : List.of("run_id", "invocation_id", "dbt_scd_id"));
            for (String t : tables) {
                List<String> kept = new ArrayList<>(), left = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select column_name, data_type from information_schema.columns "
                        + "where '\"' || table_schema || '\".\"' || table_name || '\"' = '" + t.replace("'", "''") + "' order by ordinal_position")) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        boolean run = volatileNames.contains(name.toLowerCase()) || rs.getString(2).toUpperCase().startsWith("TIMESTAMP");
                        String quoted = '"' + name.replace("\"", "\"\"") + '"';
                        // Doubles summed on parallel threads differ in the last bits from build to build (1e-15
                        // in segmentation_features): compared to 9 places.
                        boolean floating = rs.getString(2).toUpperCase().matches("DOUBLE|FLOAT|REAL");
                        if (run) left.add(name);
                        else kept.add(floating ? "round(" + quoted + ", 9)" : quoted);
                    }
                }
                String row = kept.isEmpty() ? "0" : "hash(" + String.join(", ", kept) + ")";
                try (ResultSet rs = s.executeQuery("select count(*), coalesce(sum(" + row + "::hugeint), 0) from " + t)) {
                    rs.next();
                    System.out.println(t + " " + rs.getLong(1) + " " + rs.getString(2) + (left.isEmpty() ? "" : " without " + left));
                }
            }
        }
    }
}
