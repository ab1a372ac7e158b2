package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

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
    private final Writer<?>[] writers;
    private long count;
    private RuntimeException failure;

    ArrowBatches(BufferAllocator allocator, List<Column> columns, Iterator<List<Object>> rows) {
        super(allocator);
        this.columns = columns;
        this.rows = rows;
        this.writers = writers(columns);
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
            for (int i = 0; i < writers.length; i++) {
                FieldVector v = vectors.get(i);
                v.clear();
                v.setInitialCapacity(BATCH_ROWS);
                v.allocateNew();
                writers[i].start(v);
            }
            Writer<?>[] w = writers;
            int n = 0;
            while (n < BATCH_ROWS && rows.hasNext()) {
                List<Object> row = JdbcSession.checkRow(rows.next(), w.length, count);
                for (int i = 0; i < w.length; i++) {
                    Object v = row.get(i);
                    if (v == null) w[i].putNull(n);
                    else w[i].put(n, v);
                }
                n++;
                count++;
            }
            for (Writer<?> writer : w) writer.finish(n);
            root.setRowCount(n);
            for (int i = 0; i < w.length; i++) {
                if (w[i] instanceof TextWriter t) fillDictionary((VarCharVector) dictionaries.get((long) i).getVector(), t.codes);
            }
            return true;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * One writer per column, its type decided once here rather than per value: a switch on the type inside the
     * row loop made C2 recompile the loop each time a table brought types the first tables had not (JFR showed
     * loadNextBatch compiled six times in one build).
     */
    private static Writer<?>[] writers(List<Column> columns) {
        Writer<?>[] w = new Writer<?>[columns.size()];
        for (int i = 0; i < w.length; i++) {
            Column c = columns.get(i);
            w[i] = switch (c.type()) {
                case BIGINT -> new BigIntWriter(c);
                case DOUBLE -> new DoubleWriter(c);
                case DECIMAL -> new DecimalWriter(c);
                case BOOLEAN -> new BooleanWriter(c);
                case DATE -> new DateWriter(c);
                case TIMESTAMP -> new TimestampWriter(c);
                case TEXT -> new TextWriter(c);
            };
        }
        return w;
    }

    /**
     * Puts a column's non-null values into the batch's vector, widened as the appender's path did. The vector is
     * held as its own Arrow type, so each writer needs only its put; a vector of another type fails at the batch's
     * start, not at its first value.
     */
    private abstract static class Writer<V extends FieldVector> {
        final Column column;
        private final Class<V> type;
        V vector;

        Writer(Column column, Class<V> type) {
            this.column = column;
            this.type = type;
        }

        /** A new batch's vector. */
        void start(FieldVector v) {
            vector = type.cast(v);
        }

        abstract void put(int i, Object v);

        void putNull(int i) {
            vector.setNull(i);
        }

        /** The batch's n rows are all put. */
        void finish(int n) {
        }

        final IllegalArgumentException wrongType(Object v) {
            return new IllegalArgumentException("column " + column.name() + " is " + column.type() + " but got a "
                    + v.getClass().getSimpleName() + ": " + v);
        }
    }

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A fixed-width column's values gathered little-endian in a Java array and copied into the vector's data buffer
     * once per batch, its validity bits set a byte at a time: Arrow's per-value set checks the buffer's bounds and
     * reference count and reads and writes the validity byte for every value, which was most of the writers' time.
     * The bytes are Arrow's own layout, so DuckDB reads the same values.
     */
    private abstract static class FixedWriter<V extends BaseFixedWidthVector> extends Writer<V> {
        private final int width;
        byte[] bytes = new byte[0];
        private int[] nulls = new int[8];
        private int nullCount;

        FixedWriter(Column column, Class<V> type, int width) {
            super(column, type);
            this.width = width;
        }

        @Override
        void start(FieldVector v) {
            super.start(v);
            nullCount = 0;
        }

        final void putInt(int i, int x) {
            int at = at(i); // before reading bytes, which it may replace
            INTS.set(bytes, at, x);
        }

        final void putLong(int i, long x) {
            int at = at(i);
            LONGS.set(bytes, at, x);
        }

        final void putDouble(int i, double x) {
            int at = at(i);
            DOUBLES.set(bytes, at, x);
        }

        /** Byte offset of row i's value, the array grown to hold it (small appends keep a small array). */
        final int at(int i) {
            int end = (i + 1) * width;
            if (end > bytes.length) bytes = Arrays.copyOf(bytes, Math.min(BATCH_ROWS * width, Math.max(Math.max(end, 1024 * width), 2 * bytes.length)));
            return i * width;
        }

        @Override
        final void putNull(int i) {
            int at = at(i);
            Arrays.fill(bytes, at, at + width, (byte) 0); // zeros under a null, as Arrow's own setNull leaves them
            if (nullCount == nulls.length) nulls = Arrays.copyOf(nulls, 2 * nullCount);
            nulls[nullCount++] = i;
        }

        @Override
        final void finish(int n) {
            if (n == 0) return;
            vector.getDataBuffer().setBytes(0, bytes, 0, (long) n * width);
            ArrowBuf validity = vector.getValidityBuffer();
            int whole = n >>> 3;
            validity.setOne(0L, whole);
            for (int i = whole << 3; i < n; i++) BitVectorHelper.setBit(validity, i);
            for (int j = 0; j < nullCount; j++) BitVectorHelper.unsetBit(validity, nulls[j]);
        }
    }

    private static final class BigIntWriter extends FixedWriter<BigIntVector> {
        BigIntWriter(Column c) {
            super(c, BigIntVector.class, 8);
        }

        @Override
        void put(int i, Object v) {
            long x;
            if (v instanceof Long l) x = l;
            else if (v instanceof Integer || v instanceof Short || v instanceof Byte) x = ((Number) v).longValue();
            else throw wrongType(v);
            putLong(i, x);
        }
    }

    private static final class DoubleWriter extends FixedWriter<Float8Vector> {
        DoubleWriter(Column c) {
            super(c, Float8Vector.class, 8);
        }

        @Override
        void put(int i, Object v) {
            if (v instanceof Number n) putDouble(i, n.doubleValue());
            else throw wrongType(v);
        }
    }

    /** Decimals as Arrow's 16-byte two's complement; a precision up to 18 fits the low long, the high one its sign. */
    private static final class DecimalWriter extends FixedWriter<DecimalVector> {
        DecimalWriter(Column c) {
            super(c, DecimalVector.class, 16);
        }

        @Override
        void put(int i, Object v) {
            Column c = column;
            BigDecimal d = v instanceof BigDecimal b ? b
                    : v instanceof Long || v instanceof Integer ? BigDecimal.valueOf(((Number) v).longValue())
                    : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
                    : null;
            if (d == null) throw wrongType(v);
            // The column's exact scale; rounding matches what a cast would do.
            if (d.scale() != c.scale()) d = d.setScale(c.scale(), RoundingMode.HALF_UP);
            if (d.precision() > c.precision()) {
                throw new IllegalArgumentException("column " + c.name() + " is decimal(" + c.precision() + ", "
                        + c.scale() + ") but got " + v);
            }
            int at = at(i);
            if (c.precision() <= 18) {
                long x = d.unscaledValue().longValue();
                LONGS.set(bytes, at, x);
                LONGS.set(bytes, at + 8, x < 0 ? -1L : 0L);
            } else {
                BigInteger u = d.unscaledValue();
                LONGS.set(bytes, at, u.longValue());
                LONGS.set(bytes, at + 8, u.shiftRight(64).longValue());
            }
        }
    }

    private static final class BooleanWriter extends Writer<BitVector> {
        BooleanWriter(Column c) {
            super(c, BitVector.class);
        }

        @Override
        void put(int i, Object v) {
            if (v instanceof Boolean b) vector.set(i, b ? 1 : 0);
            else throw wrongType(v);
        }
    }

    private static final class DateWriter extends FixedWriter<DateDayVector> {
        DateWriter(Column c) {
            super(c, DateDayVector.class, 4);
        }

        @Override
        void put(int i, Object v) {
            if (v instanceof LocalDate d) putInt(i, Math.toIntExact(d.toEpochDay()));
            else throw wrongType(v);
        }
    }

    private static final class TimestampWriter extends FixedWriter<TimeStampMicroVector> {
        TimestampWriter(Column c) {
            super(c, TimeStampMicroVector.class, 8);
        }

        @Override
        void put(int i, Object v) {
            LocalDateTime t = v instanceof LocalDateTime l ? l : v instanceof LocalDate d ? d.atStartOfDay() : null;
            if (t == null) throw wrongType(v);
            putLong(i, EPOCH.until(t, ChronoUnit.MICROS));
        }
    }

    /** Text as codes into the batch's dictionary of the column's distinct values. */
    private static final class TextWriter extends FixedWriter<IntVector> {
        Codes codes;

        TextWriter(Column c) {
            super(c, IntVector.class, 4);
        }

        @Override
        void start(FieldVector v) {
            super.start(v);
            codes = new Codes();
        }

        @Override
        void put(int i, Object v) {
            putInt(i, codes.of(v.toString()));
        }
    }

    /**
     * A text column's distinct values in one batch, numbered in order of first appearance. An open-addressing table
     * of int codes rather than a HashMap of Integers (no box per look-up, no entry objects), and the last value
     * checked by identity first: the generator hands the same String instances again and again (batch ids,
     * statuses, merchants), so most look-ups end there.
     */
    static final class Codes {
        final List<String> values = new ArrayList<>();
        private String[] keys = new String[64];
        private int[] codes = new int[64];
        private String last;
        private int lastCode;

        int of(String s) {
            if (s == last) return lastCode;
            int mask = keys.length - 1;
            int slot = spread(s.hashCode()) & mask;
            for (String k = keys[slot]; k != null; k = keys[slot]) {
                if (k == s || k.equals(s)) return remember(s, codes[slot]);
                slot = (slot + 1) & mask;
            }
            int c = values.size();
            values.add(s);
            keys[slot] = s;
            codes[slot] = c;
            if (2 * values.size() > keys.length) grow();
            return remember(s, c);
        }

        private int remember(String s, int c) {
            last = s;
            lastCode = c;
            return c;
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }

        /** Doubles the table; kept at most half full so probes stay short. */
        private void grow() {
            String[] oldKeys = keys;
            int[] oldCodes = codes;
            keys = new String[oldKeys.length * 2];
            codes = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] == null) continue;
                int slot = spread(oldKeys[j].hashCode()) & mask;
                while (keys[slot] != null) slot = (slot + 1) & mask;
                keys[slot] = oldKeys[j];
                codes[slot] = oldCodes[j];
            }
        }
    }

    /** Filled in index order, as a VarCharVector's offsets need. */
    private static void fillDictionary(VarCharVector dictionary, Codes codes) {
        dictionary.clear();
        dictionary.allocateNew(codes.values.size());
        for (int i = 0; i < codes.values.size(); i++) dictionary.setSafe(i, codes.values.get(i).getBytes(StandardCharsets.UTF_8));
        dictionary.setValueCount(codes.values.size());
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
