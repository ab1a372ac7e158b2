package dev.sluice.sparksql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
    /** Characters of JSON per INSERT over Spark Connect (about 16 MB as UTF-8 for ASCII text). */
    public static final int JSON_CHARS = 16 << 20;
    private final SparkSession spark;
    /** A Spark Connect session (a cluster or Databricks), not Spark in this JVM. */
    private final boolean connect;

    public SparkSqlSession(DatabricksDialect adapter, SparkSession spark) {
        super(adapter);
        this.spark = spark;
        this.connect = spark instanceof org.apache.spark.sql.connect.SparkSession;
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
        List<Object[]> converted = new ArrayList<>(batch.size());
        for (List<Object> row : batch) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = sparkValue(types.get(i), row.get(i));
                if (values[i] == MISMATCH) {
                    super.append(r, columns, types, batch.iterator());
                    return;
                }
            }
            converted.add(values);
        }
        if (connect) appendAsJson(r, columns, types, converted);
        else appendAsDataFrame(r, columns, types, schema, converted);
    }

    /** The INSERT's head and select list: columns by name, timestamps cast to the session's zone. */
    private String insertInto(Relation r, List<String> columns, List<ColumnType> types, String from) {
        StringBuilder sql = new StringBuilder("insert into ").append(dialect.render(r)).append(" (");
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(dialect.quote(columns.get(i)));
            select.append(i > 0 ? ", " : "").append(switch (types.get(i)) {
                // Timestamps travel without a zone and become the session's timestamps, as a timestamp literal does.
                case TIMESTAMP -> "cast(c" + i + " as timestamp)";
                case DATE -> connect ? "cast(c" + i + " as date)" : "c" + i;
                default -> "c" + i;
            });
        }
        return sql.append(") select ").append(select).append(" from ").append(from).toString();
    }

    /** In-process Spark: the rows become a local relation in this JVM, through a temporary view. */
    private void appendAsDataFrame(Relation r, List<String> columns, List<ColumnType> types,
                                   org.apache.spark.sql.types.StructType schema, List<Object[]> converted) {
        List<Row> rows = new ArrayList<>(converted.size());
        for (Object[] values : converted) rows.add(RowFactory.create(values));
        String view = "sluice_append_" + UUID.randomUUID().toString().replace("-", "");
        try {
            ContextLoader.run(() -> spark.createDataFrame(rows, schema).createOrReplaceTempView(view));
            execute(insertInto(r, columns, types, view));
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

    /**
     * Spark Connect: the rows go as one JSON text in a query parameter, read on the cluster with from_json, never
     * as a DataFrame of local rows. Spark Connect servers before 4.1 never free the Arrow buffers of a local
     * relation they receive (SPARK-54696): at 50,000 customers the generator's 13.8 million rows took the whole
     * 2 GB of a server's direct memory, whatever the batch size. A batch goes as INSERTs of at most
     * {@link #JSON_CHARS} characters each, well under the server's 128 MB message limit. FAILFAST: a value
     * from_json could not read fails the INSERT instead of becoming a null.
     */
    private void appendAsJson(Relation r, List<String> columns, List<ColumnType> types, List<Object[]> converted) {
        StringBuilder schema = new StringBuilder("array<struct<");
        for (int i = 0; i < types.size(); i++) schema.append(i > 0 ? "," : "").append('c').append(i).append(':').append(jsonFieldType(types.get(i)));
        schema.append(">>");
        String sql = insertInto(r, columns, types,
                "(select inline(from_json(:rows, '" + schema + "', map('mode', 'FAILFAST'))))");
        jsonTexts(converted, JSON_CHARS, rows -> insertJson(sql, rows));
    }

    /** Writes exact decimals (toPlainString: no exponent for from_json's decimal to read). */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    /**
     * The rows as JSON arrays of objects {"c0": ..., "c1": ...} of the values {@link #sparkValue} gave, each
     * array closed once it holds {@code maxChars} characters or more, and given to {@code send}.
     */
    static void jsonTexts(List<Object[]> rows, int maxChars, java.util.function.Consumer<String> send) {
        try {
            java.io.StringWriter text = new java.io.StringWriter();
            JsonGenerator g = null;
            for (Object[] values : rows) {
                if (g == null) {
                    g = JSON.createGenerator(text);
                    g.writeStartArray();
                }
                writeRow(g, values);
                if (text.getBuffer().length() + g.getOutputBuffered() >= maxChars) {
                    g.writeEndArray();
                    g.close();
                    g = null;
                    send.accept(text.toString());
                    text.getBuffer().setLength(0);
                }
            }
            if (g != null) {
                g.writeEndArray();
                g.close();
                send.accept(text.toString());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
    }

    private void insertJson(String sql, String rows) {
        try {
            ContextLoader.run(() -> spark.sql(sql, Map.<String, Object>of("rows", rows)));
        } catch (Exception e) {
            throw error(e);
        }
    }

    /** Dates and timestamps go as ISO text, cast in the INSERT; decimals as exact JSON numbers. */
    static String jsonFieldType(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(38,10)";
            case DATE, TIMESTAMP, TEXT -> "string";
        };
    }

    private static void writeRow(JsonGenerator g, Object[] values) throws java.io.IOException {
        g.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            g.writeFieldName("c" + i);
            Object v = values[i];
            if (v == null) g.writeNull();
            else if (v instanceof Boolean b) g.writeBoolean(b);
            else if (v instanceof Long l) g.writeNumber(l);
            else if (v instanceof Double d) {
                // from_json reads these names for a double; JSON has no number for them.
                if (d.isNaN()) g.writeString("NaN");
                else if (d.isInfinite()) g.writeString(d > 0 ? "Infinity" : "-Infinity");
                else g.writeNumber(d);
            } else if (v instanceof BigDecimal d) g.writeNumber(d);
            else if (v instanceof java.sql.Date d) g.writeString(d.toLocalDate().toString());
            else g.writeString(v.toString());
        }
        g.writeEndObject();
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
