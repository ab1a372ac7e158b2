package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An append's rows as Arrow record batches, filled when DuckDB's arrow scan asks for the next one (so a generating
 * iterator runs as the rows are consumed, on whichever thread DuckDB scans with). Text is dictionary-encoded per
 * batch: DuckDB then takes each distinct string once per batch instead of once per value, which is where the
 * appender spent most of its time. Each batch gets new buffers, as DuckDB may still read the batch before.
 * An exception from the rows (or a value of the wrong type) is kept, because the arrow scan reports it to DuckDB
 * only as a message: {@link #failure()} hands the original back to the session.
 */
final class ArrowBatches extends ArrowReader {
    static final int BATCH_ROWS = 122_880; // one DuckDB row group
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    /** A column of the target table: decimal precision and scale, or -1 for other types. */
    record Column(String name, ColumnType type, int precision, int scale) {
    }

    private final List<Column> columns;
    private final Iterator<List<Object>> rows;
    private long count;
    private RuntimeException failure;

    ArrowBatches(BufferAllocator allocator, List<Column> columns, Iterator<List<Object>> rows) {
        super(allocator);
        this.columns = columns;
        this.rows = rows;
    }

    /** Rows handed over so far. */
    long count() {
        return count;
    }

    /** What stopped the rows, if anything did. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    protected Schema readSchema() {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            ArrowType type = switch (c.type()) {
                case BOOLEAN -> ArrowType.Bool.INSTANCE;
                case BIGINT -> new ArrowType.Int(64, true);
                case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case DECIMAL -> new ArrowType.Decimal(c.precision(), c.scale(), 128);
                case DATE -> new ArrowType.Date(DateUnit.DAY);
                case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
                case TEXT -> ArrowType.Utf8.INSTANCE;
            };
            DictionaryEncoding codes = c.type() == ColumnType.TEXT ? new DictionaryEncoding(i, false, new ArrowType.Int(32, true)) : null;
            fields.add(new Field(c.name(), new FieldType(true, type, codes), null));
        }
        return new Schema(fields);
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        VectorSchemaRoot root = getVectorSchemaRoot();
        try {
            if (failure != null || !rows.hasNext()) return false;
            List<FieldVector> vectors = root.getFieldVectors();
            for (FieldVector v : vectors) {
                v.clear();
                v.setInitialCapacity(BATCH_ROWS);
                v.allocateNew();
            }
            List<Codes> codes = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) codes.add(columns.get(i).type() == ColumnType.TEXT ? new Codes() : null);
            int n = 0;
            while (n < BATCH_ROWS && rows.hasNext()) {
                List<Object> row = JdbcSession.checkRow(rows.next(), columns.size(), count);
                for (int i = 0; i < row.size(); i++) put(vectors.get(i), columns.get(i), codes.get(i), n, row.get(i));
                n++;
                count++;
            }
            root.setRowCount(n);
            for (int i = 0; i < columns.size(); i++) {
                if (codes.get(i) != null) fillDictionary((VarCharVector) dictionaries.get((long) i).getVector(), codes.get(i));
            }
            return true;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /** A text column's distinct values in one batch, numbered in order of first appearance. */
    private static final class Codes {
        final Map<String, Integer> code = new HashMap<>();
        final List<String> values = new ArrayList<>();

        int of(String s) {
            Integer c = code.get(s);
            if (c == null) {
                c = values.size();
                code.put(s, c);
                values.add(s);
            }
            return c;
        }
    }

    /** Filled in index order, as a VarCharVector's offsets need. */
    private static void fillDictionary(VarCharVector dictionary, Codes codes) {
        dictionary.clear();
        dictionary.allocateNew(codes.values.size());
        for (int i = 0; i < codes.values.size(); i++) dictionary.setSafe(i, codes.values.get(i).getBytes(StandardCharsets.UTF_8));
        dictionary.setValueCount(codes.values.size());
    }

    /** The same Java values the appender took, widened the same way. */
    private static void put(FieldVector vector, Column c, Codes codes, int i, Object v) {
        if (v == null) {
            vector.setNull(i);
            return;
        }
        switch (c.type()) {
            case BIGINT -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    ((BigIntVector) vector).set(i, ((Number) v).longValue());
                    return;
                }
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    ((Float8Vector) vector).set(i, n.doubleValue());
                    return;
                }
            }
            case DECIMAL -> {
                BigDecimal d = v instanceof BigDecimal b ? b
                        : v instanceof Long || v instanceof Integer ? BigDecimal.valueOf(((Number) v).longValue())
                        : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
                        : null;
                if (d != null) {
                    // The column's exact scale; rounding matches what a cast would do.
                    if (d.scale() != c.scale()) d = d.setScale(c.scale(), RoundingMode.HALF_UP);
                    if (d.precision() > c.precision()) {
                        throw new IllegalArgumentException("column " + c.name() + " is decimal(" + c.precision() + ", "
                                + c.scale() + ") but got " + v);
                    }
                    DecimalVector decimals = (DecimalVector) vector;
                    if (c.precision() <= 18) decimals.set(i, d.unscaledValue().longValue());
                    else decimals.set(i, d);
                    return;
                }
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    ((BitVector) vector).set(i, b ? 1 : 0);
                    return;
                }
            }
            case DATE -> {
                if (v instanceof LocalDate d) {
                    ((DateDayVector) vector).set(i, Math.toIntExact(d.toEpochDay()));
                    return;
                }
            }
            case TIMESTAMP -> {
                LocalDateTime t = v instanceof LocalDateTime l ? l : v instanceof LocalDate d ? d.atStartOfDay() : null;
                if (t != null) {
                    ((TimeStampMicroVector) vector).set(i, EPOCH.until(t, ChronoUnit.MICROS));
                    return;
                }
            }
            case TEXT -> {
                ((IntVector) vector).set(i, codes.of(v.toString()));
                return;
            }
        }
        throw new IllegalArgumentException("column " + c.name() + " is " + c.type() + " but got a "
                + v.getClass().getSimpleName() + ": " + v);
    }

    @Override
    public long bytesRead() {
        return 0; // not read from bytes: the batches are filled from Java values
    }

    @Override
    protected void closeReadSource() {
        // the rows belong to the caller
    }
}
