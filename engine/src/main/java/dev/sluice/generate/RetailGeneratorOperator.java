package dev.sluice.generate;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.materialize.Swap;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.format.DateTimeParseException;

/**
 * The retail generator as a DAG node (type retail_generator): writes its outputs raw_customers and
 * raw_transactions, and raw_email_events and raw_web_sessions when those are listed among its outputs too.
 * Config: customers, months, seed, end_date (yyyy-MM-dd). The tables are loaded under temporary names and
 * swapped in, so a failed or killed load leaves the previous data in place.
 */
public final class RetailGeneratorOperator implements Operator {
    @Override
    public String type() {
        return "retail_generator";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of("customers", "months", "seed", "end_date");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        Relation customers = ctx.output(RetailLoader.CUSTOMERS_TABLE);
        Relation transactions = ctx.output(RetailLoader.TRANSACTIONS_TABLE);
        LocalDate end;
        try {
            end = LocalDate.parse(ctx.string("end_date", "2025-06-30"));
        } catch (DateTimeParseException e) {
            throw new dev.sluice.error.ConfigException("end_date of operator '" + ctx.node().name()
                    + "' must be a date like 2025-06-30", ctx.where());
        }
        RetailSpec spec;
        try {
            spec = new RetailSpec((int) ctx.number("customers", 2_000), (int) ctx.number("months", 18),
                    ctx.number("seed", 42), end);
        } catch (IllegalArgumentException e) {
            throw new dev.sluice.error.ConfigException(e.getMessage(), ctx.where());
        }
        if (ctx.outputs().containsKey(RawZone.LEDGER_TABLE)) return appendBatch(ctx, spec);
        ctx.log("generating " + spec.customers() + " customers over " + spec.months() + " months (seed " + spec.seed() + ")");
        Swap swap = new Swap(ctx.adapter());
        swap.dropLeftovers(ctx.session(), customers);
        swap.dropLeftovers(ctx.session(), transactions);
        RetailLoader loader = new RetailLoader(ctx.adapter(), customers.database(), customers.schema(),
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        boolean engagementToo = ctx.outputs().containsKey(RetailLoader.EMAIL_EVENTS_TABLE)
                || ctx.outputs().containsKey(RetailLoader.SESSIONS_TABLE);
        RetailLoader.Counts counts = RetailLoader.countAhead(spec, engagementToo);
        RetailLoader.Result r = loader.load(spec, Swap.temp(customers), Swap.temp(transactions), new StepLog(ctx),
                counts.transactions());
        long engagementRows = 0;
        String engagement = "";
        if (engagementToo) {
            Relation emails = ctx.output(RetailLoader.EMAIL_EVENTS_TABLE);
            Relation sessions = ctx.output(RetailLoader.SESSIONS_TABLE);
            swap.dropLeftovers(ctx.session(), emails);
            swap.dropLeftovers(ctx.session(), sessions);
            long[] n = loader.loadEngagement(spec, Swap.temp(emails), Swap.temp(sessions), new StepLog(ctx),
                    counts.engagement());
            swap.swapIn(ctx.session(), emails, RelationKind.TABLE);
            swap.swapIn(ctx.session(), sessions, RelationKind.TABLE);
            engagementRows = n[0] + n[1];
            engagement = " + " + n[0] + " + " + n[1];
        }
        swap.swapIn(ctx.session(), customers, RelationKind.TABLE);
        swap.swapIn(ctx.session(), transactions, RelationKind.TABLE);
        return new OperatorResult("INSERT " + r.customerRows() + " + " + r.transactionRows() + engagement,
                r.customerRows() + r.transactionRows() + engagementRows);
    }

    /**
     * With raw_batches among its outputs the node keeps an append-only raw zone (see {@link RawZone}): the batch its
     * config describes lands once, beside earlier batches, and is never rewritten.
     */
    private static OperatorResult appendBatch(OperatorContext ctx, RetailSpec spec) {
        String batch = RawZone.batchId(spec);
        RawZone zone = new RawZone(ctx.adapter(), ctx.session(), ctx.output(RawZone.LEDGER_TABLE));
        boolean engagement = ctx.outputs().containsKey(RetailLoader.EMAIL_EVENTS_TABLE)
                || ctx.outputs().containsKey(RetailLoader.SESSIONS_TABLE);
        List<Relation> tables = new ArrayList<>(List.of(ctx.output(RetailLoader.CUSTOMERS_TABLE), ctx.output(RetailLoader.TRANSACTIONS_TABLE)));
        if (engagement) tables.addAll(List.of(ctx.output(RetailLoader.EMAIL_EVENTS_TABLE), ctx.output(RetailLoader.SESSIONS_TABLE)));
        if (zone.holds(batch, tables)) {
            ctx.log("batch " + batch + " is already in the raw zone: nothing rewritten");
            return new OperatorResult("OK batch " + batch + " already loaded", 0);
        }
        ctx.log("generating batch " + batch + ": " + spec.customers() + " customers over " + spec.months() + " months");
        Swap swap = new Swap(ctx.adapter());
        for (Relation t : tables) swap.dropIfExists(ctx.session(), Swap.staging(t, "i"));
        Relation customers = tables.get(0);
        RetailLoader plain = new RetailLoader(ctx.adapter(), customers.database(), customers.schema(),
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        boolean tagged = ctx.adapter().constantColumnWithRows();
        RetailLoader loader = tagged ? plain.withConstantColumn(new RetailLoader.ConstantColumn(RawZone.BATCH_COLUMN, batch)) : plain;
        RetailLoader.Counts counts = RetailLoader.countAhead(spec, engagement);
        RetailLoader.Result r = loader.load(spec, Swap.staging(tables.get(0), "i"), Swap.staging(tables.get(1), "i"),
                new StepLog(ctx), counts.transactions());
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put(RetailLoader.CUSTOMERS_TABLE, r.customerRows());
        rows.put(RetailLoader.TRANSACTIONS_TABLE, r.transactionRows());
        if (engagement) {
            // Where landing adds the batch_id column it fills it on one thread (0.75 s for the transactions at 50,000
            // customers), so the customers and transactions land while the engagement tables load, not after.
            // The batch is recorded only once all four have landed, as before: a load stopped in between leaves
            // rows of an unrecorded batch, which the next landing replaces (RawZone).
            long[] n = whileLanding(zone, batch, tagged, tables.subList(0, 2), () -> loader.loadEngagement(spec,
                    Swap.staging(tables.get(2), "i"), Swap.staging(tables.get(3), "i"), new StepLog(ctx),
                    counts.engagement()));
            rows.put(RetailLoader.EMAIL_EVENTS_TABLE, n[0]);
            rows.put(RetailLoader.SESSIONS_TABLE, n[1]);
            for (Relation t : tables.subList(2, 4)) zone.land(batch, Swap.staging(t, "i"), t, tagged);
        } else {
            for (Relation t : tables) zone.land(batch, Swap.staging(t, "i"), t, tagged);
        }
        zone.record(batch, spec, rows, ctx.runStartedAt(), java.time.Instant.now());
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        return new OperatorResult("INSERT " + rows.values().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" + ")) + " (batch " + batch + ")", total);
    }

    /**
     * Runs work on this thread while the loaded tables land on another (through the zone's session, which work does
     * not use); waits for the landing either way, and reports work's error before the landing's.
     */
    private static <T> T whileLanding(RawZone zone, String batch, boolean tagged, List<Relation> tables,
                                      java.util.function.Supplier<T> work) {
        java.util.concurrent.CompletableFuture<Void> landed = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                for (Relation table : tables) zone.land(batch, Swap.staging(table, "i"), table, tagged);
                landed.complete(null);
            } catch (RuntimeException | Error e) {
                landed.completeExceptionally(e);
            }
        }, "sluice-land");
        t.setDaemon(true);
        t.start();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                landed.join();
            } catch (java.util.concurrent.CompletionException ignored) {
                // work's error is the one to report; the landing's would follow from the same cause or be retried
            }
            throw e;
        }
        try {
            landed.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw e;
        }
        return result;
    }

    /** Progress as a log line every tenth of each phase, which reads well between dbt-style lines. */
    private static final class StepLog implements ProgressListener {
        private final OperatorContext ctx;
        private String phase = "";
        private long lastTenth = -1;

        StepLog(OperatorContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public synchronized void progress(String p, long done, long total) {
            if (!p.equals(phase)) {
                phase = p;
                lastTenth = -1;
            }
            long tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth > lastTenth) {
                lastTenth = tenth;
                ctx.log(String.format("%-12s %3d%% %,d/%,d", p, tenth * 10, done, total));
            }
        }
    }
}
