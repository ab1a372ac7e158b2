package dev.sluice.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes {@link StoreData} as seed 004's input files: internal_sales.parquet, need_state.csv,
 * external_sales.parquet, and store_archetypes.csv (the ground truth). DuckDB in memory writes them (COPY ... TO);
 * each file is written beside its final name and moved in, so a reader never sees half a file.
 */
public final class StoreFiles {
    public static final String SALES = "internal_sales.parquet", NEED_STATES = "need_state.csv",
            MARKET = "external_sales.parquet", TRUTH = "store_archetypes.csv";

    private StoreFiles() {
    }

    /** @return rows written per file name, in writing order */
    public static Map<String, Long> write(StoreData data, Path dir) {
        Map<String, Long> written = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            try (DuckDBConnection c = dev.sluice.adapter.DuckDbAdapter.inMemory()) {
                written.put(SALES, file(c, dir, SALES, "store_id bigint, week_start date, category varchar, units bigint, "
                        + "sales_amount decimal(12, 2)", data.salesRows()));
                written.put(NEED_STATES, file(c, dir, NEED_STATES, "category varchar, need_state varchar", data.needStateRows()));
                written.put(MARKET, file(c, dir, MARKET, "store_id bigint, population_density double, median_income bigint, "
                        + "competitor_count bigint, avg_household_size double, market_growth double", data.marketRows()));
                written.put(TRUTH, file(c, dir, TRUTH, "store_id bigint, internal_archetype varchar, external_archetype varchar",
                        data.truthRows()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("writing the store files failed: " + e.getMessage(), e);
        }
        return written;
    }

    /** The files' values are whole numbers (bigint columns), doubles, 2-decimal amounts, dates and text. */
    private static void append(DuckDBAppender app, Object v) throws SQLException {
        if (v == null) app.appendNull();
        else if (v instanceof Integer || v instanceof Long) app.append(((Number) v).longValue());
        else if (v instanceof Double d) app.append(d.doubleValue());
        else if (v instanceof java.math.BigDecimal d) app.append(d);
        else if (v instanceof java.time.LocalDate d) app.append(d);
        else if (v instanceof String t) app.append(t);
        else throw new IllegalStateException("store file value of unexpected type " + v.getClass().getName());
    }

    private static long file(DuckDBConnection c, Path dir, String name, String columns, List<List<Object>> rows)
            throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.execute("create or replace table t (" + columns + ")");
        }
        // The appender, not batched INSERTs: DuckDB's JDBC driver runs a batch row by row, which took 14 s for
        // the 49,920 sales rows (the node ran beside the retail generator, taking its second core).
        try (DuckDBAppender app = c.createAppender("main", "t")) {
            for (List<Object> row : rows) {
                app.beginRow();
                for (Object v : row) append(app, v);
                app.endRow();
            }
            app.flush();
        }
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        String format = name.endsWith(".csv") ? "(header, delimiter ',')" : "(format parquet)";
        try (Statement st = c.createStatement()) {
            st.execute("copy (select * from t order by all) to '" + tmp.toAbsolutePath().toString().replace("'", "''") + "' " + format);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return rows.size();
    }
}
