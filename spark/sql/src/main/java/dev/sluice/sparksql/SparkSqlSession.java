package dev.sluice.sparksql;

import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.DatabricksSessionBase;
import dev.sluice.adapter.Relation;
import dev.sluice.error.DatabaseException;
import dev.sluice.seed.ColumnType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs statements with spark.sql; commands (DDL, INSERT, MERGE) execute eagerly there. The same for a local
 * SparkSession and a Spark Connect one (a self-run cluster or Databricks): since Spark 4 both implement the one
 * SparkSession API.
 */
public final class SparkSqlSession extends DatabricksSessionBase {
    /**
     * Rows per appended DataFrame. Each append is one table commit: literal INSERTs of 500 rows would make 27,600
     * commits of the 13.8 million generated transactions at 50,000 customers, hours on a cluster.
     */
    static final int APPEND_BATCH = 100_000;
    private final SparkSession spark;

    public SparkSqlSession(DatabricksDialect adapter, SparkSession spark) {
        super(adapter);
        this.spark = spark;
    }

    @Override
    public void execute(String sql) {
        try {
            ContextLoader.run(() -> spark.sql(sql));
        } catch (Exception e) {
            // Scala throws AnalysisException, a checked exception, without declaring it.
            throw error(e);
        }
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        try {
            return ContextLoader.call(() -> {
                var ds = spark.sql(sql);
                StructField[] fields = ds.schema().fields();
                List<Map<String, Object>> out = new ArrayList<>();
                for (Row r : ds.collectAsList()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < fields.length; i++) row.put(fields[i].name(), r.get(i));
                    out.add(row);
                }
                return out;
            });
        } catch (Exception e) {
            throw error(e);
        }
    }

    /** From the analysed plan: nothing is run. */
    @Override
    public List<String> resultColumns(String sql) {
        try {
            return ContextLoader.call(() -> List.of(spark.sql(sql).schema().fieldNames()));
        } catch (Exception e) {
            throw error(e);
        }
    }

    /**
     * Streams rows as DataFrames of {@link #APPEND_BATCH} rows, each inserted by name through a temporary view
     * (one commit per batch). A batch holding a value of another Java class than its column's type calls for
     * (a text '12' for a bigint) goes as literal INSERTs instead, so Spark's casts decide as before. As with
     * literals, a failed stream leaves the batches already inserted: Spark has no multi-statement transactions.
     */
    @Override
    public long append(Relation r, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        if (columns.isEmpty() || columns.size() != types.size()) {
            throw new IllegalArgumentException("append needs one type per column, got " + columns.size()
                    + " columns and " + types.size() + " types");
        }
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) fields.add(DataTypes.createStructField("c" + i, sparkType(types.get(i)), true));
        var schema = DataTypes.createStructType(fields);
        long n = 0;
        List<List<Object>> batch = new ArrayList<>();
        while (rows.hasNext()) {
            List<Object> row = rows.next();
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + (n + 1) + " has " + row.size() + " values, expected " + columns.size());
            }
            batch.add(row);
            n++;
            if (batch.size() == APPEND_BATCH) {
                appendBatch(r, columns, types, schema, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) appendBatch(r, columns, types, schema, batch);
        return n;
    }

    private void appendBatch(Relation r, List<String> columns, List<ColumnType> types,
                             org.apache.spark.sql.types.StructType schema, List<List<Object>> batch) {
        List<Row> converted = new ArrayList<>(batch.size());
        for (List<Object> row : batch) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = sparkValue(types.get(i), row.get(i));
                if (values[i] == MISMATCH) {
                    super.append(r, columns, types, batch.iterator());
                    return;
                }
            }
            converted.add(RowFactory.create(values));
        }
        String view = "sluice_append_" + UUID.randomUUID().toString().replace("-", "");
        StringBuilder sql = new StringBuilder("insert into ").append(dialect.render(r)).append(" (");
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(dialect.quote(columns.get(i)));
            // Timestamps travel without a zone and become the session's timestamps, as a timestamp literal does.
            select.append(i > 0 ? ", " : "").append(types.get(i) == ColumnType.TIMESTAMP ? "cast(c" + i + " as timestamp)" : "c" + i);
        }
        sql.append(") select ").append(select).append(" from ").append(view);
        try {
            ContextLoader.run(() -> spark.createDataFrame(converted, schema).createOrReplaceTempView(view));
            execute(sql.toString());
        } catch (DatabaseException e) {
            throw e;
        } catch (Exception e) {
            throw error(e);
        } finally {
            try {
                spark.catalog().dropTempView(view);
            } catch (Exception e) {
                // A session-scoped view: it goes with the session if it cannot be dropped now.
            }
        }
    }

    private static final Object MISMATCH = new Object();

    static DataType sparkType(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> DataTypes.BooleanType;
            case BIGINT -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            // The literal path's type: decimal(38, 10).
            case DECIMAL -> DataTypes.createDecimalType(38, 10);
            case DATE -> DataTypes.DateType;
            case TIMESTAMP -> DataTypes.TimestampNTZType;
            case TEXT -> DataTypes.StringType;
        };
    }

    /** The value as the column's Spark type holds it, or MISMATCH when only a cast could tell. */
    static Object sparkValue(ColumnType type, Object v) {
        if (v == null) return null;
        return switch (type) {
            case BOOLEAN -> v instanceof Boolean ? v : MISMATCH;
            case BIGINT -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    ? ((Number) v).longValue() : MISMATCH;
            case DOUBLE -> v instanceof Number n ? n.doubleValue() : MISMATCH;
            case DECIMAL -> v instanceof BigDecimal d ? d.setScale(10, RoundingMode.HALF_UP)
                    : v instanceof Long || v instanceof Integer ? BigDecimal.valueOf(((Number) v).longValue()).setScale(10) : MISMATCH;
            // java.sql.Date at the client's midnight: the encoder turns it back into the same calendar day.
            case DATE -> v instanceof LocalDate d ? java.sql.Date.valueOf(d) : MISMATCH;
            case TIMESTAMP -> v instanceof LocalDateTime ? v : MISMATCH;
            case TEXT -> v.toString();
        };
    }

    /** Spark's messages carry the query plan after the first line; the first line says what is wrong. */
    static DatabaseException error(Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        return new DatabaseException(msg.lines().findFirst().orElse(msg), e);
    }

    @Override
    public void close() {
        // Statements hold nothing open between calls.
    }
}
