package dev.sluice.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            try (Connection c = dev.sluice.adapter.DuckDbAdapter.inMemory()) {
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

    private static long file(Connection c, Path dir, String name, String columns, List<List<Object>> rows)
            throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.execute("create or replace table t (" + columns + ")");
        }
        int width = rows.get(0).size();
        String sql = "insert into t values (" + "?, ".repeat(width - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (List<Object> row : rows) {
                for (int i = 0; i < width; i++) {
                    Object v = row.get(i);
                    ps.setObject(i + 1, v instanceof java.time.LocalDate d ? java.sql.Date.valueOf(d) : v);
                }
                ps.addBatch();
                if (++n % 5000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
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
