package dev.sluice.generate;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.seed.ColumnType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Generates a retail data set straight into a warehouse: (re)creates {@code <schema>.raw_customers} and
 * {@code <schema>.raw_transactions} and streams the generator's rows into them with {@link Session#append}.
 */
public final class RetailLoader {
    public static final String CUSTOMERS_TABLE = "raw_customers";
    public static final String TRANSACTIONS_TABLE = "raw_transactions";
    public static final String EMAIL_EVENTS_TABLE = "raw_email_events";
    public static final String SESSIONS_TABLE = "raw_web_sessions";
    /** How often progress is reported, in rows. */
    private static final int REPORT_EVERY = 20_000;
    /** People per unit of background work: about 4,000 transaction rows at 15 a month over 18 months. */
    private static final int CHUNK = 250;

    private final Adapter adapter;
    private final String database;
    private final String schema;
    private final int threads;
    private final long commitEvery;

    /**
     * @param database the catalog, or null for the connection's default
     * @param threads  generator threads working ahead of the load; 0 generates on the loading thread
     */
    public RetailLoader(Adapter adapter, String database, String schema, int threads) {
        this(adapter, database, schema, threads, COMMIT_EVERY);
    }

    /** @param commitEvery rows per transaction of a table's load (tests cross its boundary with small values) */
    RetailLoader(Adapter adapter, String database, String schema, int threads, long commitEvery) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        if (commitEvery < 1) throw new IllegalArgumentException("commitEvery must be >= 1");
        this.adapter = adapter;
        this.database = database;
        this.schema = schema;
        this.threads = threads;
        this.commitEvery = commitEvery;
    }

    /** Default catalog; one generator thread per spare core, as the load itself keeps one core busy. */
    public RetailLoader(Adapter adapter, String schema) {
        this(adapter, null, schema, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    public record Result(Relation customers, long customerRows, Relation transactions, long transactionRows,
                         Duration elapsed) {
    }

    public Result load(RetailSpec spec, ProgressListener progress) {
        return load(spec, new Relation(database, schema, CUSTOMERS_TABLE), new Relation(database, schema, TRANSACTIONS_TABLE),
                progress);
    }

    /** Loads into the given relations (the operator node loads under temporary names and swaps them in). */
    public Result load(RetailSpec spec, Relation customers, Relation transactions, ProgressListener progress) {
        long start = System.nanoTime();
        RetailGenerator gen = new RetailGenerator(spec);
        try (Session s = adapter.open()) {
            s.execute(adapter.createSchemaSql(customers));
            recreate(s, customers, RetailGenerator.CUSTOMER_COLUMNS, RetailGenerator.CUSTOMER_TYPES);
            recreate(s, transactions, RetailGenerator.TRANSACTION_COLUMNS, RetailGenerator.TRANSACTION_TYPES);

            long customerRows = append(s, customers, RetailGenerator.CUSTOMER_COLUMNS, RetailGenerator.CUSTOMER_TYPES,
                    "customers", gen.customerRowCount(), gen::customers, spec.customers(), progress);
            long transactionRows = append(s, transactions, RetailGenerator.TRANSACTION_COLUMNS,
                    RetailGenerator.TRANSACTION_TYPES, "transactions", gen.transactionCount(), gen::transactions,
                    spec.customers(), progress);
            return new Result(customers, customerRows, transactions, transactionRows,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Loads the engagement tables (e-mail events, web and app sessions) into the given relations.
     * @return rows written: e-mail events, sessions
     */
    public long[] loadEngagement(RetailSpec spec, Relation emails, Relation sessions, ProgressListener progress) {
        RetailGenerator gen = new RetailGenerator(spec);
        try (Session s = adapter.open()) {
            s.execute(adapter.createSchemaSql(emails));
            recreate(s, emails, RetailGenerator.EMAIL_EVENT_COLUMNS, RetailGenerator.EMAIL_EVENT_TYPES);
            recreate(s, sessions, RetailGenerator.SESSION_COLUMNS, RetailGenerator.SESSION_TYPES);
            long e = append(s, emails, RetailGenerator.EMAIL_EVENT_COLUMNS, RetailGenerator.EMAIL_EVENT_TYPES, "e-mails",
                    gen.emailEventCount(), gen::emailEvents, spec.customers(), progress);
            long w = append(s, sessions, RetailGenerator.SESSION_COLUMNS, RetailGenerator.SESSION_TYPES, "sessions",
                    gen.sessionCount(), gen::sessions, spec.customers(), progress);
            return new long[]{e, w};
        }
    }

    private void recreate(Session s, Relation r, List<String> columns, List<ColumnType> types) {
        s.execute(adapter.dropSql(r, RelationKind.TABLE));
        List<String> defs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) defs.add(adapter.quote(columns.get(i)) + " " + adapter.typeFor(types.get(i)));
        s.execute("create table " + adapter.render(r) + " (" + String.join(", ", defs) + ")");
    }

    private long append(Session s, Relation r, List<String> columns, List<ColumnType> types, String phase, long total,
                        ParallelRows.RangeSource source, int people, ProgressListener progress) {
        progress.progress(phase, 0, total);
        try (ParallelRows rows = new ParallelRows(0, people, CHUNK, threads, source)) {
            Counting counted = new Counting(rows, phase, total, progress);
            long n = 0;
            // One transaction per commitEvery rows: DuckDB holds a transaction's appended rows in memory until it
            // commits (500,000 customers stopped at about 90M of 138M transactions with memory_limit 10GB), so
            // one transaction for the whole table would make memory grow with the customer count. The table was just
            // created for this load (the node loads under a temporary name and swaps it in afterwards).
            do {
                n += s.append(r, columns, types, new Limited(counted, commitEvery));
            } while (counted.hasNext());
            progress.progress(phase, n, total);
            return n;
        }
    }

    /** Rows per transaction of a table's load. */
    static final long COMMIT_EVERY = 5_000_000;

    /** The next {@code limit} rows of another iterator. */
    private static final class Limited implements Iterator<List<Object>> {
        private final Iterator<List<Object>> rows;
        private long left;

        Limited(Iterator<List<Object>> rows, long limit) {
            this.rows = rows;
            this.left = limit;
        }

        @Override
        public boolean hasNext() {
            return left > 0 && rows.hasNext();
        }

        @Override
        public List<Object> next() {
            if (left <= 0) throw new java.util.NoSuchElementException();
            left--;
            return rows.next();
        }
    }

    /** Reports every REPORT_EVERY rows as the session pulls them. */
    private static final class Counting implements Iterator<List<Object>> {
        private final Iterator<List<Object>> rows;
        private final String phase;
        private final long total;
        private final ProgressListener progress;
        private long n;

        Counting(Iterator<List<Object>> rows, String phase, long total, ProgressListener progress) {
            this.rows = rows;
            this.phase = phase;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public List<Object> next() {
            List<Object> row = rows.next();
            if (++n % REPORT_EVERY == 0 && n < total) progress.progress(phase, n, total);
            return row;
        }
    }
}
