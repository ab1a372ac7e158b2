import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.generate.RetailGenerator;
import dev.sluice.generate.RetailSpec;
import dev.sluice.project.Target;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Issue 17: the generator's transactions handed to DuckDB as Arrow batches (Arrow C Data stream, registered with
 * DuckDBConnection.registerArrowStream and moved in by one insert-select) against DuckDB's appender, the engine's
 * path until c6ff5ec. All generate the rows of <customers> people as they go, on one session, into a new file and a
 * table declared as the loader declares raw_transactions, then checkpoint. Modes (run in the order given, in one
 * JVM): `appender`, `arrow` (text as Arrow strings), `arrowdict` (text dictionary-encoded per batch), `engine`
 * (Session.append as the engine now does it: Arrow batches, text dictionary-encoded per batch).
 * Prints the process's CPU (DuckDB's workers included) and wall per step, and the table's count, column types and
 * order-independent hash; with `keep` the files stay for bench/TableHashes.java.
 * Usage: java -Xmx6g --add-opens=java.base/java.nio=ALL-UNNAMED -cp engine/target/engine-cli.jar
 *        bench/ArrowAppendBench.java <customers> <batch rows> [keep] <mode>...
 */
public class ArrowAppendBench {
    private static final String DDL = "create table t (transaction_id bigint, customer_id bigint, transaction_date date,"
            + " amount decimal(9, 2), merchant varchar using compression dictionary, merchant_category varchar using"
            + " compression dictionary, channel varchar using compression dictionary, status varchar using compression"
            + " dictionary)";

    private static final String BATCH = "c50000-m18-s42-e2025-06-30";

    public static void main(String[] args) throws Exception {
        int customers = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        boolean keep = args.length > 2 && args[2].equals("keep");
        RetailGenerator gen = new RetailGenerator(new RetailSpec(customers, 18, 42, LocalDate.of(2025, 6, 30)));
        int run = 0;
        for (int a = keep ? 3 : 2; a < args.length; a++) {
            String mode = args[a];
            Path dir = Files.createTempDirectory("arrow-bench");
            String file = dir.resolve(mode + "-" + (++run) + ".duckdb").toString();
            Target target = new Target("bench", "dev", "duckdb", null, "main", 1, Map.of("type", "duckdb", "path", file), null);
            long threadStart = threadCpu();
            long[] t0;
            // One database instance for the file: the engine's session (appender) is a duplicate of this connection.
            try (DuckDBConnection c = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + file, new java.util.Properties());
                 Statement st = c.createStatement()) {
                boolean batchColumn = mode.equals("engine-batchcol");
                st.execute(batchColumn ? DDL.substring(0, DDL.length() - 1) + ", batch_id varchar)" : DDL);
                t0 = now();
                long[] modeStart = t0;
                if (mode.equals("appender")) {
                    appenderInsert(c, gen.transactions());
                } else if (mode.equals("engine") || mode.equals("engine-alter") || batchColumn) {
                    try (DuckDbAdapter adapter = new DuckDbAdapter(target);
                         var memory = dev.sluice.adapter.DuckDbSession.newArrowMemory();
                         Session s = new dev.sluice.adapter.DuckDbSession(adapter, (DuckDBConnection) c.duplicate(), memory)) {
                        List<String> columns = new ArrayList<>(RetailGenerator.TRANSACTION_COLUMNS);
                        List<dev.sluice.seed.ColumnType> types = new ArrayList<>(RetailGenerator.TRANSACTION_TYPES);
                        Iterator<List<Object>> rows = gen.transactions();
                        if (batchColumn) {
                            // The landing's constant batch_id written with every row instead of added by an alter.
                            columns.add("batch_id");
                            types.add(dev.sluice.seed.ColumnType.TEXT);
                            Iterator<List<Object>> plain = rows;
                            rows = new Iterator<>() {
                                public boolean hasNext() { return plain.hasNext(); }
                                public List<Object> next() {
                                    List<Object> r = new ArrayList<>(plain.next());
                                    r.add(BATCH);
                                    return r;
                                }
                            };
                        }
                        s.append(new Relation(null, "main", "t"), columns, types, rows);
                    }
                    if (mode.equals("engine-alter")) {
                        // As RawZone lands a first batch on DuckDB: column added with a default, default dropped.
                        t0 = report(mode + " generate + hand over", t0);
                        st.execute("alter table t add column batch_id varchar default cast('" + BATCH + "' as varchar)");
                        st.execute("alter table t alter column batch_id drop default");
                        t0 = report(mode + " alter", t0);
                    }
                } else if (mode.startsWith("arrow")) {
                    arrowInsert(c, gen.transactions(), batch, mode.equals("arrowdict"));
                } else {
                    throw new IllegalArgumentException("mode: appender, engine, arrow or arrowdict");
                }
                t0 = report(mode + " generate + hand over (calling thread " + String.format("%.2f", (threadCpu() - threadStart) / 1e9) + " s)", t0);
                st.execute("checkpoint");
                report(mode + " checkpoint", t0);
                report(mode + " in all", modeStart);
                print(st, "select count(*) n, sum(hash(transaction_id, customer_id, transaction_date, amount, merchant,"
                        + " merchant_category, channel, status)::hugeint) h, sum(hash(transaction_id, batch_id)::hugeint) hb, sum(amount) amount, count(*) filter (where merchant is null) null_merchants from t");
                print(st, "select string_agg(column_name || ' ' || data_type, ', ' order by column_index) column_types"
                        + " from duckdb_columns() where table_name = 't'");
                print(st, "select string_agg(distinct compression, ', ') text_storage from pragma_storage_info('t') where segment_type = 'VARCHAR'");
                // Order as the loader promises it (rows of one pass in their order): transaction ids ascend with rowid.
                print(st, "select count(*) filter (where transaction_id <= prev) out_of_order from (select transaction_id,"
                        + " lag(transaction_id) over (order by rowid) prev from t)");
            }
            if (keep) {
                System.out.println("  kept " + file);
            } else {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /**
     * The engine's hand-over before the Arrow batches (DuckDbSession.append up to c6ff5ec): DuckDB's appender, one
     * row at a time, the generator's Java values as they come, in one transaction.
     */
    private static void appenderInsert(DuckDBConnection c, Iterator<List<Object>> rows) throws Exception {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("select 1"); // the driver begins the transaction lazily; the appender issues no statement
        }
        try (org.duckdb.DuckDBAppender app = c.createAppender("main", "t")) {
            while (rows.hasNext()) {
                List<Object> r = rows.next();
                app.beginRow();
                app.append((Long) r.get(0));
                app.append((Long) r.get(1));
                app.append((LocalDate) r.get(2));
                app.append((BigDecimal) r.get(3));
                for (int k = 4; k < 8; k++) app.append((String) r.get(k));
                app.endRow();
            }
            app.flush();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** The rows as an Arrow stream, moved into t by one insert-select in a transaction of their own. */
    private static void arrowInsert(DuckDBConnection c, Iterator<List<Object>> rows, int batch, boolean dictionary) throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
             Statement st = c.createStatement()) {
            Data.exportArrayStream(allocator, new TransactionBatches(allocator, rows, batch, dictionary), stream);
            c.registerArrowStream("generated_rows", stream);
            c.setAutoCommit(false);
            st.execute("insert into t select * from generated_rows");
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private static void print(Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            var md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder(" ");
                for (int i = 1; i <= md.getColumnCount(); i++) b.append(' ').append(md.getColumnLabel(i)).append('=').append(rs.getString(i));
                System.out.println(b);
            }
        }
    }

    /**
     * The transactions as Arrow batches of up to `batch` rows, filled from the generator's rows when DuckDB asks for
     * the next batch. Each batch gets new buffers: DuckDB may still hold (zero-copy) the buffers of the one before.
     */
    static final class TransactionBatches extends ArrowReader {
        private static final int TEXT = 4;
        private final Iterator<List<Object>> rows;
        private final int batch;
        private final boolean dictionary;
        private final Map<String, byte[]> utf8 = new IdentityHashMap<>();

        TransactionBatches(BufferAllocator allocator, Iterator<List<Object>> rows, int batch, boolean dictionary) {
            super(allocator);
            this.rows = rows;
            this.batch = batch;
            this.dictionary = dictionary;
        }

        @Override
        protected Schema readSchema() {
            List<Field> fields = new ArrayList<>();
            fields.add(Field.nullable("transaction_id", new ArrowType.Int(64, true)));
            fields.add(Field.nullable("customer_id", new ArrowType.Int(64, true)));
            fields.add(Field.nullable("transaction_date", new ArrowType.Date(DateUnit.DAY)));
            fields.add(Field.nullable("amount", new ArrowType.Decimal(9, 2, 128)));
            String[] text = {"merchant", "merchant_category", "channel", "status"};
            for (int k = 0; k < TEXT; k++) {
                DictionaryEncoding enc = dictionary ? new DictionaryEncoding(k, false, new ArrowType.Int(32, true)) : null;
                fields.add(new Field(text[k], new FieldType(true, ArrowType.Utf8.INSTANCE, enc), null));
            }
            return new Schema(fields);
        }

        @Override
        public boolean loadNextBatch() throws java.io.IOException {
            VectorSchemaRoot root = getVectorSchemaRoot();
            if (!rows.hasNext()) return false;
            for (FieldVector v : root.getFieldVectors()) {
                v.clear();
                v.setInitialCapacity(batch);
                v.allocateNew();
            }
            BigIntVector id = (BigIntVector) root.getVector(0), customer = (BigIntVector) root.getVector(1);
            DateDayVector date = (DateDayVector) root.getVector(2);
            DecimalVector amount = (DecimalVector) root.getVector(3);
            List<Map<String, Integer>> codes = new ArrayList<>();
            List<List<String>> values = new ArrayList<>();
            for (int k = 0; k < TEXT; k++) {
                codes.add(new IdentityHashMap<>());
                values.add(new ArrayList<>());
            }
            int n = 0;
            while (n < batch && rows.hasNext()) {
                List<Object> r = rows.next();
                setLong(id, n, r.get(0));
                setLong(customer, n, r.get(1));
                if (r.get(2) == null) date.setNull(n);
                else date.set(n, (int) ((LocalDate) r.get(2)).toEpochDay());
                if (r.get(3) == null) amount.setNull(n);
                else {
                    BigDecimal d = (BigDecimal) r.get(3);
                    if (d.scale() != 2) throw new IllegalStateException("amount of scale " + d.scale());
                    amount.set(n, d.unscaledValue().longValueExact());
                }
                for (int k = 0; k < TEXT; k++) {
                    String s = (String) r.get(4 + k);
                    FieldVector v = root.getVector(4 + k);
                    if (s == null) v.setNull(n);
                    else if (dictionary) {
                        List<String> list = values.get(k);
                        int code = codes.get(k).computeIfAbsent(s, x -> { list.add(x); return list.size() - 1; });
                        ((IntVector) v).setSafe(n, code);
                    } else {
                        ((VarCharVector) v).setSafe(n, utf8.computeIfAbsent(s, x -> x.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                n++;
            }
            root.setRowCount(n);
            if (dictionary) {
                for (int k = 0; k < TEXT; k++) {
                    Dictionary d = dictionaries.get((long) k);
                    VarCharVector dv = (VarCharVector) d.getVector();
                    dv.clear();
                    dv.allocateNew();
                    List<String> list = values.get(k);
                    for (int i = 0; i < list.size(); i++) dv.setSafe(i, utf8.computeIfAbsent(list.get(i), x -> x.getBytes(StandardCharsets.UTF_8)));
                    dv.setValueCount(list.size());
                }
            }
            return true;
        }

        private static void setLong(BigIntVector v, int i, Object value) {
            if (value == null) v.setNull(i);
            else v.set(i, ((Long) value).longValue());
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long[] now() {
        return new long[]{System.nanoTime(), cpu()};
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long[] report(String what, long[] start) {
        System.out.printf("%s: %.2f s CPU, %.2f s wall, load %.1f%n", what, (cpu() - start[1]) / 1e9,
                (System.nanoTime() - start[0]) / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return now();
    }
}
