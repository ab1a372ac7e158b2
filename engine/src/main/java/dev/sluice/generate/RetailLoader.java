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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
    /** A column of one value added as the last column of every loaded table, or null. */
    private final ConstantColumn constant;

    /**
     * @param database the catalog, or null for the connection's default
     * @param threads  generator threads working ahead of the load; 0 generates on the loading thread. Where the
     *                 warehouse takes appends from several sessions at once, threads + 1 sessions each generate
     *                 and append blocks of people instead
     */
    public RetailLoader(Adapter adapter, String database, String schema, int threads) {
        this(adapter, database, schema, threads, COMMIT_EVERY);
    }

    /** @param commitEvery rows per transaction of a table's load (tests cross its boundary with small values) */
    RetailLoader(Adapter adapter, String database, String schema, int threads, long commitEvery) {
        this(adapter, database, schema, threads, commitEvery, null);
    }

    private RetailLoader(Adapter adapter, String database, String schema, int threads, long commitEvery,
                         ConstantColumn constant) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        if (commitEvery < 1) throw new IllegalArgumentException("commitEvery must be >= 1");
        this.adapter = adapter;
        this.database = database;
        this.schema = schema;
        this.threads = threads;
        this.commitEvery = commitEvery;
        this.constant = constant;
    }

    /** A text column holding one value on every row (the raw zone's batch id). */
    public record ConstantColumn(String name, String value) {
    }

    /**
     * This loader with every table it creates declaring the column last, as text, and every row it writes holding
     * the column's value there: written with the rows rather than added to the loaded table afterwards, where
     * the warehouse's own way costs more ({@link Adapter#constantColumnWithRows()}).
     */
    public RetailLoader withConstantColumn(ConstantColumn column) {
        return new RetailLoader(adapter, database, schema, threads, commitEvery, column);
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
        return load(spec, customers, transactions, progress, null);
    }

    /**
     * As {@link #load(RetailSpec, Relation, Relation, ProgressListener)}, with the transaction count (the progress
     * total) from {@link #countAhead}, or counted here when transactionCount is null.
     */
    public Result load(RetailSpec spec, Relation customers, Relation transactions, ProgressListener progress,
                       CompletableFuture<Long> transactionCount) {
        long start = System.nanoTime();
        RetailGenerator gen = new RetailGenerator(spec);
        try (Session s = adapter.open()) {
            s.execute(adapter.createSchemaSql(customers));
            recreate(s, customers, RetailGenerator.CUSTOMER_COLUMNS, RetailGenerator.CUSTOMER_TYPES, Map.of());
            recreate(s, transactions, RetailGenerator.TRANSACTION_COLUMNS, RetailGenerator.TRANSACTION_TYPES,
                    RetailGenerator.TRANSACTION_DECIMALS);

            long customerRows = append(s, customers, RetailGenerator.CUSTOMER_COLUMNS, RetailGenerator.CUSTOMER_TYPES,
                    "customers", gen.customerRowCount(), gen::customers, spec.customers(), progress);
            long transactionTotal = transactionCount == null ? gen.transactionCount() : await(transactionCount);
            long transactionRows = append(s, transactions, RetailGenerator.TRANSACTION_COLUMNS,
                    RetailGenerator.TRANSACTION_TYPES, "transactions", transactionTotal, gen::transactions,
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
        return loadEngagement(spec, emails, sessions, progress, null);
    }

    /**
     * As {@link #loadEngagement(RetailSpec, Relation, Relation, ProgressListener)}, with the row counts (the progress
     * totals) from {@link #countAhead}, or counted here when counts is null.
     */
    public long[] loadEngagement(RetailSpec spec, Relation emails, Relation sessions, ProgressListener progress,
                                 CompletableFuture<long[]> counts) {
        RetailGenerator gen = new RetailGenerator(spec);
        try (Session s = adapter.open()) {
            s.execute(adapter.createSchemaSql(emails));
            recreate(s, emails, RetailGenerator.EMAIL_EVENT_COLUMNS, RetailGenerator.EMAIL_EVENT_TYPES, Map.of());
            recreate(s, sessions, RetailGenerator.SESSION_COLUMNS, RetailGenerator.SESSION_TYPES, Map.of());
            long[] totals = counts == null ? new long[]{gen.emailEventCount(), gen.sessionCount()} : await(counts);
            long e = append(s, emails, RetailGenerator.EMAIL_EVENT_COLUMNS, RetailGenerator.EMAIL_EVENT_TYPES, "e-mails",
                    totals[0], gen::emailEvents, spec.customers(), progress);
            long w = append(s, sessions, RetailGenerator.SESSION_COLUMNS, RetailGenerator.SESSION_TYPES, "sessions",
                    totals[1], gen::sessions, spec.customers(), progress);
            return new long[]{e, w};
        }
    }

    /** The progress totals counted ahead: transactions, and e-mail events and sessions (null when not asked for). */
    public record Counts(CompletableFuture<Long> transactions, CompletableFuture<long[]> engagement) {
    }

    /**
     * Starts counting the rows of the progress totals on a thread of its own, so that the counting runs beside the
     * customer load, where the appending sessions leave a core partly idle, instead of on the node's thread while
     * both sessions wait: first the transactions (which draws each person's profile and monthly counts; 0.3 s of
     * CPU at 50,000 customers once compiled, 1 s at the node's start, needed once the customers are in), then, if
     * asked, the e-mail events and sessions (which generates every row, 0.8 s).
     */
    public static Counts countAhead(RetailSpec spec, boolean engagement) {
        CompletableFuture<Long> transactions = new CompletableFuture<>();
        CompletableFuture<long[]> counts = engagement ? new CompletableFuture<>() : null;
        Thread t = new Thread(() -> {
            RetailGenerator gen = new RetailGenerator(spec);
            try {
                transactions.complete(gen.transactionCount());
            } catch (RuntimeException | Error e) {
                transactions.completeExceptionally(e);
            }
            if (counts == null) return;
            try {
                counts.complete(new long[]{gen.emailEventCount(), gen.sessionCount()});
            } catch (RuntimeException | Error e) {
                counts.completeExceptionally(e);
            }
        }, "sluice-count");
        t.setDaemon(true);
        t.start();
        return new Counts(transactions, counts);
    }

    private static <T> T await(CompletableFuture<T> counts) {
        try {
            return counts.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw e;
        }
    }

    /**
     * Creates r empty; decimals names the decimal columns of a declared size, and text columns of a short list of
     * values ({@link RetailGenerator#FEW_VALUES}) are declared so to the warehouse.
     */
    private void recreate(Session s, Relation r, List<String> columns, List<ColumnType> types,
                          Map<String, RetailGenerator.DecimalSize> decimals) {
        s.execute(adapter.dropSql(r, RelationKind.TABLE));
        List<String> defs = new ArrayList<>();
        String fewValues = null; // asked once per table: on DuckDB it is a catalog query
        for (int i = 0; i < columns.size(); i++) {
            RetailGenerator.DecimalSize size = types.get(i) == ColumnType.DECIMAL ? decimals.get(columns.get(i)) : null;
            boolean few = size == null && types.get(i) == ColumnType.TEXT && RetailGenerator.FEW_VALUES.contains(columns.get(i));
            if (few && fewValues == null) fewValues = adapter.fewValuesTextType(s);
            String type = size != null ? adapter.decimalType(size.precision(), size.scale())
                    : few ? fewValues : adapter.typeFor(types.get(i));
            defs.add(adapter.quote(columns.get(i)) + " " + type);
        }
        if (constant != null) defs.add(adapter.quote(constant.name()) + " " + adapter.stringType());
        s.execute("create table " + adapter.render(r) + " (" + String.join(", ", defs) + ")");
    }

    /** Appends the rows of people [0, people) to table r, created empty just before. */
    long append(Session s, Relation r, List<String> columns, List<ColumnType> types, String phase, long total,
                ParallelRows.RangeSource source, int people, ProgressListener progress) {
        progress.progress(phase, 0, total);
        if (constant != null) {
            columns = new ArrayList<>(columns);
            columns.add(constant.name());
            types = new ArrayList<>(types);
            types.add(ColumnType.TEXT);
            ParallelRows.RangeSource rows = source;
            source = (from, to) -> new WithConstant(rows.rows(from, to), constant.value());
        }
        long n = threads > 0 && adapter.appendsInParallel() && people >= 2
                ? appendInBlocks(r, columns, types, phase, total, source, people, progress)
                : appendInOrder(s, r, columns, types, phase, total, source, people, progress);
        progress.progress(phase, n, total);
        return n;
    }

    /** One session appends every row, a generator thread (if any) working ahead of it. */
    private long appendInOrder(Session s, Relation r, List<String> columns, List<ColumnType> types, String phase,
                               long total, ParallelRows.RangeSource source, int people, ProgressListener progress) {
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
            return n;
        }
    }

    /**
     * Most of the load's CPU is the warehouse's own append (DuckDB compresses and writes row groups on the appending
     * thread), not generating the rows, so one appending session keeps the load on one core. Here each of
     * threads + 1 sessions takes the next block of people, generates its rows and appends them in a transaction of
     * its own. A block commits only after the block before it has, and a committed transaction's rows join the end
     * of the table, so the table holds the rows of one pass in their order. The blocks in flight hold about
     * commitEvery rows together, as one session's transaction did (memory stays independent of the customer
     * count), and there are at least four per session, so no session is left with a long last block.
     */
    private long appendInBlocks(Relation r, List<String> columns, List<ColumnType> types, String phase, long total,
                                ParallelRows.RangeSource source, int people, ProgressListener progress) {
        int sessions = threads + 1;
        double rowsPerPerson = Math.max(1.0, (double) total / people);
        int blockPeople = (int) Math.max(1, Math.min((double) commitEvery / sessions / rowsPerPerson,
                Math.ceil(people / (4.0 * sessions))));
        int blocks = (people + blockPeople - 1) / blockPeople;
        Turns turns = new Turns();
        AtomicInteger nextBlock = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        ProgressListener shared = new ProgressListener() {
            @Override
            public synchronized void progress(String p, long d, long t) {
                progress.progress(p, d, t);
            }
        };
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(sessions, task -> {
            Thread t = new Thread(task, "sluice-append-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                parts.add(pool.submit(() -> {
                    long n = 0;
                    try (Session own = adapter.open()) {
                        for (int b = nextBlock.getAndIncrement(); b < blocks; b = nextBlock.getAndIncrement()) {
                            int from = b * blockPeople, to = (int) Math.min(people, (long) from + blockPeople);
                            n += own.append(r, columns, types, new BlockRows(source.rows(from, to), b, turns, done,
                                    phase, total, shared));
                            turns.committed(b);
                        }
                        return n;
                    } catch (RuntimeException | Error e) {
                        turns.fail();
                        throw e;
                    }
                }));
            }
            long n = 0;
            RuntimeException cause = null;
            for (Future<Long> f : parts) {
                try {
                    n += f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Error er) {
                        turns.fail();
                        throw er;
                    }
                    // Report the part that failed, not those it stopped.
                    if (cause == null || cause instanceof LoadStopped) {
                        cause = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                    }
                }
            }
            if (cause != null) throw cause;
            return n;
        } catch (InterruptedException e) {
            turns.fail();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + phase, e);
        } finally {
            pool.shutdown();
        }
    }

    /** Rows per transaction of a table's load. */
    static final long COMMIT_EVERY = 5_000_000;

    /** Thrown in a part of a parallel load that stops because another part failed. */
    private static final class LoadStopped extends IllegalStateException {
        LoadStopped() {
            super("stopped: another part of the load failed");
        }
    }

    /** Which blocks of a parallel load have committed; block b commits only after blocks 0 to b - 1. */
    private static final class Turns {
        private int committed;
        private volatile boolean failed;

        synchronized void await(int block) {
            while (committed < block && !failed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed = true;
                    notifyAll();
                }
            }
            if (failed) throw new LoadStopped();
        }

        synchronized void committed(int block) {
            committed = block + 1;
            notifyAll();
        }

        synchronized void fail() {
            failed = true;
            notifyAll();
        }

        boolean failed() {
            return failed;
        }
    }

    /**
     * One block's rows for a session's append: they end only once the block before has committed (the append then
     * commits), and end in an error once another part of the load failed. Progress counts all parts' rows.
     */
    private static final class BlockRows implements Iterator<List<Object>> {
        private static final int BATCH = 4_096;
        private final Iterator<List<Object>> rows;
        private final int block;
        private final Turns turns;
        private final AtomicLong done;
        private final String phase;
        private final long total;
        private final ProgressListener progress;
        private int unreported;

        BlockRows(Iterator<List<Object>> rows, int block, Turns turns, AtomicLong done, String phase, long total,
                  ProgressListener progress) {
            this.rows = rows;
            this.block = block;
            this.turns = turns;
            this.done = done;
            this.phase = phase;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public boolean hasNext() {
            if (turns.failed()) throw new LoadStopped();
            if (rows.hasNext()) return true;
            report();
            turns.await(block);
            return false;
        }

        @Override
        public List<Object> next() {
            List<Object> row = rows.next();
            if (++unreported == BATCH) report();
            return row;
        }

        /** Adds this part's rows to the shared count (in batches: one counter for all parts) and reports. */
        private void report() {
            if (unreported == 0) return;
            long before = done.getAndAdd(unreported), after = before + unreported;
            unreported = 0;
            if (after / REPORT_EVERY > before / REPORT_EVERY && after < total) progress.progress(phase, after, total);
        }
    }

    /** Another iterator's rows, each with one more value at its end; a view, not a copy, of each row. */
    private static final class WithConstant implements Iterator<List<Object>> {
        private final Iterator<List<Object>> rows;
        private final String value;

        WithConstant(Iterator<List<Object>> rows, String value) {
            this.rows = rows;
            this.value = value;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public List<Object> next() {
            List<Object> row = rows.next();
            return new java.util.AbstractList<>() {
                @Override
                public Object get(int i) {
                    return i == row.size() ? value : row.get(i);
                }

                @Override
                public int size() {
                    return row.size() + 1;
                }
            };
        }
    }

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
