package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stages a large append to a DuckDB table as compact columns and lets DuckDB expand them into the table's rows in
 * SQL. Most of a plain appender load's CPU is DuckDB's per-value work on the appending thread, above all for
 * strings (11M strings of 2.77M generated transactions took three quarters of it); here each 2,048 rows of a
 * column become one list value of primitives in a temporary table (text as codes into a dictionary of the distinct
 * values seen), and an insert-select unnests them, turns codes back into text, days into dates and unscaled longs
 * into decimals, in parallel. Rows keep their order (one scan of the stage in insertion order, unnest and
 * projections only).
 *
 * <p>Only columns of BIGINT, DOUBLE, DATE, DECIMAL and TEXT with few distinct values stage; {@link #offer} answers
 * false for a row it cannot stage exactly (another Java type, a null outside text, a decimal beyond a long, a text
 * column past {@link #MAX_DISTINCT} values), and the caller writes what is staged and goes on with the appender.
 */
final class DuckDbColumnStage implements AutoCloseable {
    /** Rows per list value: one DuckDB vector. */
    static final int ROWS_PER_LIST = 2_048;
    /** Staged rows written to the table at once: bounds the temporary table's memory. */
    private static final int ROWS_PER_INSERT = 1 << 20;
    /** Distinct values a text column may have; the dictionary goes into the insert's SQL. */
    static final int MAX_DISTINCT = 1_024;
    private static final AtomicLong NAMES = new AtomicLong();

    private enum Kind { LONG, DOUBLE, DATE, DECIMAL, TEXT }

    private final DuckDBConnection connection;
    private final Adapter adapter;
    private final Relation target;
    private final List<String> columns;
    private final Kind[] kinds;
    private final int[] scales;
    private final String stage = "sluice_stage_" + NAMES.incrementAndGet();
    private final long[][] longs;
    private final double[][] doubles;
    private final int[][] ints;
    private final List<Map<String, Integer>> codes = new ArrayList<>();
    private final List<List<String>> dictionaries = new ArrayList<>();
    private DuckDBAppender appender;
    private int filled;
    private long staged;

    private DuckDbColumnStage(DuckDBConnection connection, Adapter adapter, Relation target, List<String> columns,
                              Kind[] kinds, int[] scales) {
        this.connection = connection;
        this.adapter = adapter;
        this.target = target;
        this.columns = columns;
        this.kinds = kinds;
        this.scales = scales;
        int n = kinds.length;
        longs = new long[n][];
        doubles = new double[n][];
        ints = new int[n][];
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case LONG, DECIMAL -> longs[i] = new long[ROWS_PER_LIST];
                case DOUBLE -> doubles[i] = new double[ROWS_PER_LIST];
                case DATE, TEXT -> ints[i] = new int[ROWS_PER_LIST];
            }
            codes.add(new HashMap<>());
            dictionaries.add(new ArrayList<>());
        }
    }

    /**
     * A stage for appending to target, or null when a column's type cannot stage. Creates the temporary table in
     * the connection's open transaction.
     *
     * @param scales each column's decimal scale (-1 for other types)
     */
    static DuckDbColumnStage open(DuckDBConnection connection, Adapter adapter, Relation target, List<String> columns,
                                  List<ColumnType> types, int[] scales) throws SQLException {
        Kind[] kinds = new Kind[types.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = switch (types.get(i)) {
                case BIGINT -> Kind.LONG;
                case DOUBLE -> Kind.DOUBLE;
                case DATE -> Kind.DATE;
                case DECIMAL -> scales[i] >= 0 ? Kind.DECIMAL : null;
                case TEXT -> Kind.TEXT;
                case BOOLEAN, TIMESTAMP -> null;
            };
            if (kinds[i] == null) return null;
        }
        DuckDbColumnStage s = new DuckDbColumnStage(connection, adapter, target, columns, kinds, scales);
        StringBuilder ddl = new StringBuilder("create temporary table ").append(s.stage).append(" (");
        for (int i = 0; i < kinds.length; i++) {
            ddl.append(i > 0 ? ", " : "").append('c').append(i).append(switch (kinds[i]) {
                case LONG, DECIMAL -> " bigint[]";
                case DOUBLE -> " double[]";
                case DATE, TEXT -> " integer[]";
            });
        }
        s.execute(ddl.append(')').toString());
        s.appender = connection.createAppender("temp", "main", s.stage);
        return s;
    }

    /** Stages one row, or answers false (staging nothing of it) when a value cannot stage exactly. */
    boolean offer(List<Object> row) throws SQLException {
        int at = filled;
        for (int i = 0; i < kinds.length; i++) {
            Object v = row.get(i);
            switch (kinds[i]) {
                case LONG -> {
                    if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) return false;
                    longs[i][at] = ((Number) v).longValue();
                }
                case DOUBLE -> {
                    if (!(v instanceof Number n)) return false;
                    doubles[i][at] = n.doubleValue();
                }
                case DATE -> {
                    if (!(v instanceof LocalDate d)) return false;
                    long day = d.toEpochDay();
                    if (day != (int) day) return false;
                    ints[i][at] = (int) day;
                }
                case DECIMAL -> {
                    BigDecimal d = v instanceof BigDecimal b ? b
                            : v instanceof Long || v instanceof Integer ? BigDecimal.valueOf(((Number) v).longValue())
                            : null;
                    if (d == null) return false;
                    // As the appender's path: the column's scale, rounding as a cast would.
                    BigDecimal scaled = d.scale() == scales[i] ? d : d.setScale(scales[i], RoundingMode.HALF_UP);
                    if (scaled.unscaledValue().bitLength() > 63) return false;
                    longs[i][at] = scaled.unscaledValue().longValue();
                }
                case TEXT -> {
                    if (v == null) {
                        ints[i][at] = 0;
                    } else {
                        String text = v.toString();
                        Integer code = codes.get(i).get(text);
                        if (code == null) {
                            if (dictionaries.get(i).size() >= MAX_DISTINCT) return false;
                            dictionaries.get(i).add(text);
                            code = dictionaries.get(i).size();
                            codes.get(i).put(text, code);
                        }
                        ints[i][at] = code;
                    }
                }
            }
        }
        if (++filled == ROWS_PER_LIST) writeList();
        return true;
    }

    /** Writes every staged row to the table (in the connection's transaction) and empties the stage. */
    void drain() throws SQLException {
        if (filled > 0) writeList();
        if (staged == 0) return;
        appender.flush();
        execute(insertSql());
        execute("delete from temp.main." + stage);
        staged = 0;
    }

    private void writeList() throws SQLException {
        appender.beginRow();
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case LONG, DECIMAL -> appender.append(Arrays.copyOf(longs[i], filled));
                case DOUBLE -> appender.append(Arrays.copyOf(doubles[i], filled));
                case DATE, TEXT -> appender.append(Arrays.copyOf(ints[i], filled));
            }
        }
        appender.endRow();
        staged += filled;
        filled = 0;
        if (staged >= ROWS_PER_INSERT) drain();
    }

    private String insertSql() {
        StringBuilder sql = new StringBuilder("insert into ").append(adapter.render(target)).append(" (");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? ", " : "").append(adapter.quote(columns.get(i)));
        sql.append(") select ");
        for (int i = 0; i < kinds.length; i++) {
            String c = "c" + i;
            sql.append(i > 0 ? ", " : "").append(switch (kinds[i]) {
                case LONG, DOUBLE -> c;
                case DATE -> "cast(date '1970-01-01' + " + c + " as date)";
                // Exact: the product of decimals keeps every digit (scale 0 times scale s).
                case DECIMAL -> scales[i] == 0 ? c
                        : "cast(" + c + " as decimal(38, 0)) * " + BigDecimal.ONE.movePointLeft(scales[i]).toPlainString();
                // Code 0 is null, code k the k-th distinct value.
                case TEXT -> "(cast([null" + literals(dictionaries.get(i)) + "] as varchar[]))[" + c + " + 1]";
            });
        }
        sql.append(" from (select ");
        for (int i = 0; i < kinds.length; i++) sql.append(i > 0 ? ", " : "").append("unnest(c").append(i).append(") as c").append(i);
        return sql.append(" from temp.main.").append(stage).append(')').toString();
    }

    private static String literals(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String v : values) out.append(", '").append(v.replace("'", "''")).append('\'');
        return out.toString();
    }

    private void execute(String sql) throws SQLException {
        SqlLog.sent(adapter.type(), sql);
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Closes the appender and drops the temporary table (staged rows not drained are lost). */
    @Override
    public void close() throws SQLException {
        try {
            if (appender != null) appender.close();
        } finally {
            execute("drop table if exists temp.main." + stage);
        }
    }
}
