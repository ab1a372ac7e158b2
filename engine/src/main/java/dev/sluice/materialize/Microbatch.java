package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.BatchWindow;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Configs;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * dbt's microbatch incremental strategy: the model is built in batches of batch_size by its event_time column,
 * each batch its own statements (its inputs with an event_time filtered to the batch, its rows in the table
 * replaced by delete and insert in one transaction). A failing batch does not stop the others: the model then
 * ends in partial success, as in dbt.
 */
public final class Microbatch {
    private static final Set<String> SIZES = Set.of("hour", "day", "month", "year");

    /**
     * What a microbatch model needs from the run.
     *
     * @param render renders the model's SQL for one batch on a session
     * @param now    the run's start (UTC): where batches end without --event-time-end
     * @param start  --event-time-start, or null
     * @param end    --event-time-end, or null
     */
    public record Inputs(BiFunction<Session, BatchWindow, String> render, LocalDateTime now, LocalDateTime start,
                         LocalDateTime end) {
    }

    /** The outcome: rows written, and the batches that failed with why. */
    record Outcome(long rows, int batches, List<String> failures) {
    }

    private final Adapter adapter;
    private final CompiledNode node;
    private final boolean fullRefresh;
    private final Inputs inputs;

    Microbatch(Adapter adapter, CompiledNode node, boolean fullRefresh, Inputs inputs) {
        this.adapter = adapter;
        this.node = node;
        this.fullRefresh = Configs.fullRefresh(node.config(), fullRefresh);
        this.inputs = inputs;
    }

    /** Checks the configs microbatch needs, as dbt does when it parses the model. */
    static void validate(CompiledNode node) {
        SourceLocation where = SourceLocation.of(node.node().file());
        String name = node.name();
        if (str(node.config().get("event_time")) == null) {
            throw new ConfigException("microbatch model '" + name + "' needs an event_time: the column of its own "
                    + "rows' time", where);
        }
        String size = str(node.config().get("batch_size"));
        if (size == null || !SIZES.contains(size.toLowerCase(Locale.ROOT))) {
            throw new ConfigException("microbatch model '" + name + "' needs a batch_size of hour, day, month or year"
                    + (size == null ? "" : ", not '" + size + "'"), where);
        }
        if (str(node.config().get("begin")) == null) {
            throw new ConfigException("microbatch model '" + name + "' needs begin: the time its first batch starts "
                    + "(e.g. '2024-01-01')", where);
        }
        parseTime(str(node.config().get("begin")), "begin of microbatch model '" + name + "'", where);
        lookback(node);
    }

    private static int lookback(CompiledNode node) {
        Object v = node.config().get("lookback");
        if (v == null) return 1;
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString().strip());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("lookback of microbatch model '" + node.name() + "' must be a whole number of "
                + "batches, 0 or more, not '" + v + "'", SourceLocation.of(node.node().file()));
    }

    /** A date or date-time in ISO form (T or a space between, an offset turned to UTC); null-free. */
    public static LocalDateTime parseTime(String text, String what, SourceLocation where) {
        String t = text.strip().replace(' ', 'T');
        try {
            if (t.length() == 10) return java.time.LocalDate.parse(t).atStartOfDay();
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(t.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"))
                        .withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
            }
            return LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new ConfigException(what + " must be a date or a date and time like 2024-01-01 or "
                    + "2024-01-01 10:00:00, not '" + text + "'", where);
        }
    }

    static LocalDateTime truncate(LocalDateTime t, String size) {
        return switch (size) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            default -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    static LocalDateTime offset(LocalDateTime t, String size, int n) {
        LocalDateTime s = truncate(t, size);
        return switch (size) {
            case "hour" -> s.plusHours(n);
            case "day" -> s.plusDays(n);
            case "month" -> s.plusMonths(n);
            default -> s.plusYears(n);
        };
    }

    /**
     * The batches of this run, as dbt's MicrobatchBuilder makes them: from --event-time-start, or begin on a first
     * build or full refresh, or lookback batches before the current one; to --event-time-end or now, the last
     * batch ending exactly there.
     */
    static List<BatchWindow> batches(String size, LocalDateTime begin, int lookback, boolean incremental,
                                     LocalDateTime flagStart, LocalDateTime flagEnd, LocalDateTime now) {
        LocalDateTime end = flagEnd != null ? flagEnd : now;
        LocalDateTime start;
        if (flagStart != null) {
            start = truncate(flagStart, size);
        } else if (!incremental) {
            start = truncate(begin, size);
        } else {
            // A checkpoint on a batch boundary ends a batch: look one further back so lookback full batches rerun.
            int back = lookback + (end.equals(truncate(end, size)) ? 1 : 0);
            start = offset(end, size, -back);
        }
        List<BatchWindow> out = new ArrayList<>();
        LocalDateTime s = start;
        LocalDateTime e = offset(s, size, 1);
        out.add(new BatchWindow(s, e));
        while (e.isBefore(end)) {
            s = e;
            e = offset(s, size, 1);
            out.add(new BatchWindow(s, e));
        }
        BatchWindow last = out.remove(out.size() - 1);
        out.add(new BatchWindow(last.start(), end.isAfter(last.start()) ? end : last.end()));
        return out;
    }

    Outcome run(Session s) {
        Relation target = node.relation();
        String size = str(node.config().get("batch_size")).toLowerCase(Locale.ROOT);
        SourceLocation where = SourceLocation.of(node.node().file());
        LocalDateTime begin = parseTime(str(node.config().get("begin")), "begin", where);
        Optional<RelationKind> existing = s.relationKind(target);
        boolean incremental = existing.isPresent() && existing.get() != RelationKind.VIEW && !fullRefresh;
        if (inputs.start() != null && inputs.end() != null && !inputs.start().isBefore(inputs.end())) {
            throw new ConfigException("--event-time-start must be before --event-time-end");
        }
        List<BatchWindow> batches = batches(size, begin, lookback(node), incremental, inputs.start(), inputs.end(),
                inputs.now());
        boolean replace = !incremental;
        long rows = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            BatchWindow b = batches.get(i);
            try {
                CompiledNode batchNode = node.withSql(inputs.render().apply(s, b));
                if (replace) {
                    // The first batch (re)creates the table; its rows are that batch's.
                    long n = ConstraintDdl.applies(batchNode)
                            ? new Swap(adapter).replaceWithStatements(s, target, t -> ConstraintDdl.statements(adapter, batchNode, t))
                            : new Swap(adapter).replaceWith(s, target, RelationKind.TABLE, batchNode.compiledSql());
                    rows += Math.max(n, 0);
                    replace = false;
                } else {
                    rows += Math.max(applyBatch(s, target, batchNode, b), 0);
                }
            } catch (EngineException e) {
                failures.add("batch " + (i + 1) + " of " + batches.size() + " (" + b + "): "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new Outcome(rows, batches.size(), failures);
    }

    /** Replaces the table's rows of one batch by the batch's rows, in one transaction. */
    private long applyBatch(Session s, Relation target, CompiledNode batchNode, BatchWindow b) {
        Swap swap = new Swap(adapter);
        Relation staging = Swap.staging(target, "i");
        swap.dropIfExists(s, staging);
        s.execute(adapter.createTableSql(staging, batchNode.compiledSql()));
        try {
            List<ColumnInfo> have = s.columns(target);
            List<String> columns = new ArrayList<>();
            for (ColumnInfo c : s.columns(staging)) {
                if (have.stream().anyMatch(h -> h.name().equalsIgnoreCase(c.name()))) columns.add(c.name());
            }
            String eventTime = str(node.config().get("event_time"));
            List<String> statements = List.of(
                    "delete from " + adapter.render(target) + " where " + b.condition(eventTime),
                    adapter.insertSelectSql(target, staging, columns));
            return s.transactionCounted(statements);
        } finally {
            swap.dropIfExists(s, staging);
        }
    }

    private static String str(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().strip();
    }
}
