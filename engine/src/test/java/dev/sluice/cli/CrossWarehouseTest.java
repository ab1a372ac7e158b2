package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same sample project gives the same results on DuckDB and on PostgreSQL: every column of every gold table
 * (and the silver customers), row for row, numbers to 4 decimals.
 */
class CrossWarehouseTest extends ProjectTest {
    /**
     * The snapshot's bookkeeping columns and the gold tables' load stamp hold the time or id of the run, which
     * differ between the two builds.
     */
    private static final List<String> RUN_TIME_COLUMNS = List.of("dbt_valid_from", "dbt_valid_to", "dbt_updated_at", "dbt_scd_id",
            "run_id", "loaded_at");

    @Test
    void retailProjectGivesEqualResultsOnDuckDbAndPostgres() {
        Warehouse pg = postgres();
        Path project = Path.of("..", "project").toAbsolutePath().normalize();
        CliHarness duck = CliHarness.copyOf(project, "retail-duckdb", tmp, Warehouse.DUCKDB);
        CliHarness post = CliHarness.copyOf(project, "retail-postgres", tmp, pg);
        String size = "{customers: 300, months: 9}";
        // The models up to gold: the ML nodes and what reads them are covered by the per-warehouse suites.
        CliHarness.Result r = duck.run("build", "--vars", size, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        r = post.run("build", "--vars", size, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());

        List<String[]> tables = new ArrayList<>();
        for (Map<String, Object> t : duck.query("select table_schema, table_name from information_schema.tables "
                + "where table_schema in ('main_gold', 'main_silver') order by 1, 2")) {
            tables.add(new String[]{t.get("table_schema").toString(), t.get("table_name").toString()});
        }
        assertTrue(tables.size() >= 15, "gold and silver tables: " + tables.size());
        for (String[] t : tables) {
            List<String> columns = new ArrayList<>();
            for (Map<String, Object> c : duck.query("select column_name from information_schema.columns where table_schema = '"
                    + t[0] + "' and table_name = '" + t[1] + "' order by ordinal_position")) {
                String name = c.get("column_name").toString();
                if (!RUN_TIME_COLUMNS.contains(name)) columns.add(name);
            }
            String sql = "select " + String.join(", ", columns) + " from " + t[0] + "." + t[1];
            List<String> a = rows(duck, sql), b = rows(post, sql);
            assertEquals(a.size(), b.size(), sql);
            for (int i = 0; i < a.size(); i++) assertEquals(a.get(i), b.get(i), sql + " (row " + i + " in sorted order)");
        }
    }

    /** The rows as text, numbers rounded half up to 4 decimals, in a warehouse-independent order. */
    private static List<String> rows(CliHarness h, String sql) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : h.query(sql)) {
            StringBuilder b = new StringBuilder();
            for (Object v : row.values()) b.append(value(v)).append(" | ");
            out.add(b.toString());
        }
        Collections.sort(out);
        return out;
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
            BigDecimal d = new BigDecimal(v.toString()).setScale(4, RoundingMode.HALF_UP);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.sql.Timestamp ts) return ts.toLocalDateTime().toString();
        return v.toString();
    }
}
