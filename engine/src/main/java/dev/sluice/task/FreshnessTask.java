package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.Manifest;
import dev.sluice.error.DatabaseException;
import dev.sluice.error.EngineException;
import dev.sluice.exec.Progress;
import dev.sluice.log.LogLevel;
import dev.sluice.project.SourceFreshness;
import dev.sluice.project.SourceTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * source freshness: for each selected source table with freshness criteria, asks the warehouse for the latest
 * loaded_at_field value and its current time, classifies the age (pass, warn, error; runtime error when the query
 * fails) and writes target/sources.json in dbt's sources/v3 shape. A value without a time zone counts as UTC,
 * as dbt reads it.
 */
public final class FreshnessTask {
    /** dbt's FreshnessStatus values, as sources.json writes them. */
    public static final String PASS = "pass";
    public static final String WARN = "warn";
    public static final String ERROR = "error";
    public static final String RUNTIME_ERROR = "runtime error";

    /**
     * The outcome for one source table.
     *
     * @param maxLoadedAt   the latest load time (UTC); null on a runtime error
     * @param snapshottedAt the warehouse's time when asked (UTC); null on a runtime error
     * @param age           seconds between them; null on a runtime error
     * @param error         the runtime error's message, else null
     */
    public record Result(String uniqueId, SourceTable source, String status, Instant maxLoadedAt, Instant snapshottedAt,
                         Double age, String error, Instant startedAt, Instant completedAt, String threadId) {
        public double seconds() {
            return Duration.between(startedAt, completedAt).toNanos() / 1e9;
        }

        public boolean failed() {
            return status.equals(ERROR) || status.equals(RUNTIME_ERROR);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Workspace ws;
    private final Progress progress;

    public FreshnessTask(Workspace ws, Progress progress) {
        this.ws = ws;
        this.progress = progress;
    }

    /** @param output where sources.json goes; null for target/sources.json */
    public List<Result> execute(Path output) {
        Instant start = Instant.now();
        Manifest m = ws.compileForListing();
        m.warnings().forEach(w -> progress.warn("ProjectWarning", w));
        // As dbt, the run leaves a manifest.json next to sources.json (a later --state run compares with both).
        Artifacts.writeManifest(ws, m);
        Invocation inv = ws.invocation();
        List<Map.Entry<String, SourceTable>> chosen = new ArrayList<>();
        for (String id : new ProjectGraph(m).select(inv, inv.indirectSelection(), progress)) {
            SourceTable s = m.sources().get(id);
            // dbt's FreshnessSelector: only sources with a warn_after or error_after take part.
            if (s != null && s.freshness().checked()) chosen.add(Map.entry(id, s));
        }
        Path file = output != null ? output : ws.config().targetDir().resolve("sources.json");
        if (chosen.isEmpty()) {
            progress.log().warn("NothingToDo", "Nothing to do: no selected source has freshness criteria "
                    + "(freshness: with warn_after or error_after)", Map.of());
            write(file, List.of(), 0);
            return List.of();
        }
        for (Map.Entry<String, SourceTable> e : chosen) {
            SourceFreshness f = e.getValue().freshness();
            if (f.loadedAtField() == null && f.loadedAtQuery() == null) {
                progress.log().warn("FreshnessConfigProblem", "This engine does not support metadata-based freshness. "
                        + "A loaded_at_field must be specified for source '" + name(e.getValue()) + "' ("
                        + e.getValue().location() + ")", Map.of());
            }
        }
        int threads = Math.max(1, Math.min(ws.threads(), chosen.size()));
        progress.event("ConcurrencyLine", "Concurrency: " + threads + " threads (target='" + ws.target().name() + "')",
                Map.of("num_threads", threads, "target_name", ws.target().name(), "node_count", chosen.size()));
        progress.blank();
        Result[] results = run(chosen, threads);
        List<Result> all = List.of(results);
        double elapsed = Duration.between(start, Instant.now()).toNanos() / 1e9;
        write(file, all, elapsed);
        summary(all, elapsed);
        return all;
    }

    /** Runs the checks on up to threads sessions at once, each worker with its own session, in selection order. */
    private Result[] run(List<Map.Entry<String, SourceTable>> chosen, int threads) {
        Result[] results = new Result[chosen.size()];
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < chosen.size(); i++) queue.add(i);
        List<Thread> workers = new ArrayList<>();
        RuntimeException[] fatal = new RuntimeException[1];
        for (int t = 1; t <= threads; t++) {
            String threadId = "Thread-" + t;
            Thread worker = new Thread(() -> {
                try (Session session = ws.lazySession()) {
                    for (Integer i = queue.poll(); i != null; i = queue.poll()) {
                        Map.Entry<String, SourceTable> e = chosen.get(i);
                        startLine(e.getValue(), i + 1, chosen.size());
                        results[i] = check(session, e.getKey(), e.getValue(), threadId);
                        resultLine(results[i], i + 1, chosen.size());
                    }
                } catch (RuntimeException e) {
                    synchronized (fatal) {
                        if (fatal[0] == null) fatal[0] = e;
                    }
                }
            }, "engine-freshness-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while checking source freshness");
            }
        }
        if (fatal[0] != null) throw fatal[0];
        return results;
    }

    private Result check(Session session, String id, SourceTable s, String threadId) {
        Instant started = Instant.now();
        SourceFreshness f = s.freshness();
        try {
            String sql = sql(s);
            List<Map<String, Object>> rows = session.queryTimes(sql);
            if (rows.isEmpty()) throw new DatabaseException("the freshness query returned no row", null);
            List<Object> values = new ArrayList<>(rows.get(0).values());
            String field = f.loadedAtField() != null ? f.loadedAtField() : "loaded_at_query";
            Instant maxLoadedAt = utc(values.get(0), field, s);
            Instant snapshottedAt = utc(values.get(1), "snapshotted_at", s);
            double age = Duration.between(maxLoadedAt, snapshottedAt).toNanos() / 1e9;
            String status = f.criteria().status(age);
            return new Result(id, s, status, maxLoadedAt, snapshottedAt, age, null, started, Instant.now(), threadId);
        } catch (EngineException e) {
            String message = ws.secrets().mask(e.getMessage().strip());
            org.slf4j.LoggerFactory.getLogger("engine.freshness").atDebug().setCause(e).log("freshness of {} failed", id);
            return new Result(id, s, RUNTIME_ERROR, null, null, null, message, started, Instant.now(), threadId);
        }
    }

    /** The query dbt's collect_freshness macro sends (or its custom-SQL variant for loaded_at_query). */
    String sql(SourceTable s) {
        SourceFreshness f = s.freshness();
        String relation = ws.adapter().render(new Relation(s.database(), s.schema(), s.identifier()));
        if (f.loadedAtField() != null) {
            String filter = f.criteria().filter();
            return "select\n  max(" + f.loadedAtField() + ") as max_loaded_at,\n  current_timestamp as snapshotted_at\nfrom "
                    + relation + (filter == null || filter.isBlank() ? "" : "\nwhere " + filter);
        }
        if (f.loadedAtQuery() != null) {
            if (f.loadedAtQuery().contains("{{") || f.loadedAtQuery().contains("{%")) {
                throw new dev.sluice.error.ConfigException("loaded_at_query with Jinja is not supported by this engine; "
                        + "write the query with the table's name, or use loaded_at_field");
            }
            return "with source_query as (\n" + f.loadedAtQuery().strip().replaceAll(";+$", "")
                    + "\n)\nselect\n  (select * from source_query) as max_loaded_at,\n  current_timestamp as snapshotted_at";
        }
        throw new dev.sluice.error.ConfigException("Could not compute freshness for source " + s.name()
                + ": no 'loaded_at_field' provided and this engine does not support metadata-based freshness checks");
    }

    /** A warehouse time value in UTC; a value without a time zone counts as UTC (dbt's _utc). */
    static Instant utc(Object v, String field, SourceTable s) {
        if (v == null) {
            throw new DatabaseException("Expected a non-null value when querying field '" + field + "' of table "
                    + name(s) + " but received value 'null' instead (no rows, or every " + field + " is null)", null);
        }
        if (v instanceof OffsetDateTime o) return o.toInstant();
        if (v instanceof ZonedDateTime z) return z.toInstant();
        if (v instanceof Instant i) return i;
        if (v instanceof LocalDateTime l) return l.toInstant(ZoneOffset.UTC);
        if (v instanceof LocalDate d) return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        throw new DatabaseException("Expected a timestamp value when querying field '" + field + "' of table "
                + name(s) + " but received value of type '" + v.getClass().getSimpleName() + "' instead", null);
    }

    private static String name(SourceTable s) {
        return s.sourceName() + "." + s.name();
    }

    private void startLine(SourceTable s, int index, int total) {
        String line = statusLine(index, total, "START freshness of " + name(s), "RUN");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("description", "freshness of " + name(s));
        d.put("index", index);
        d.put("total", total);
        progress.log().info("LogStartLine", line, d);
    }

    /** dbt's LogFreshnessResult: PASS, WARN, ERROR STALE (too old) or ERROR (the check itself failed). */
    private void resultLine(Result r, int index, int total) {
        String word = switch (r.status()) {
            case PASS -> "PASS";
            case WARN -> "WARN";
            case ERROR -> "ERROR STALE";
            default -> "ERROR";
        };
        String line = statusLine(index, total, word + " freshness of " + name(r.source()),
                word + String.format(" in %.2fs", r.seconds()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", r.status());
        d.put("source_name", r.source().sourceName());
        d.put("table_name", r.source().name());
        d.put("index", index);
        d.put("total", total);
        d.put("execution_time", r.seconds());
        LogLevel level = r.failed() ? LogLevel.ERROR : r.status().equals(WARN) ? LogLevel.WARN : LogLevel.INFO;
        progress.log().emit(level, "LogFreshnessResult", line, d);
    }

    private static String statusLine(int index, int total, String text, String status) {
        String prefix = index + " of " + total + " " + text + " ";
        return prefix + ".".repeat(Math.max(3, 80 - prefix.length())) + " [" + status + "]";
    }

    private void summary(List<Result> results, double elapsed) {
        progress.blank();
        progress.event("FinishedRunningStats", String.format("Finished running %d source%s in %.2fs.", results.size(),
                        results.size() == 1 ? "" : "s", elapsed),
                Map.of("stat_line", results.size() + " sources", "execution", "", "execution_time", elapsed));
        for (Result r : results) {
            if (!r.failed()) continue;
            progress.blank();
            if (r.status().equals(RUNTIME_ERROR)) {
                progress.line("Runtime Error in source " + name(r.source()) + " (" + r.source().location().file() + ")");
                for (String l : r.error().strip().split("\n")) if (!l.isBlank()) progress.line("  " + l.strip());
            } else {
                progress.line("Source " + name(r.source()) + " is stale: last loaded " + r.maxLoadedAt() + ", "
                        + ageText(r.age()) + " before " + r.snapshottedAt() + " (error_after "
                        + r.source().freshness().criteria().errorAfter().count() + " "
                        + r.source().freshness().criteria().errorAfter().period()
                        + (r.source().freshness().criteria().errorAfter().count() == 1 ? "" : "s") + ")");
            }
        }
        long pass = results.stream().filter(r -> r.status().equals(PASS)).count();
        long warn = results.stream().filter(r -> r.status().equals(WARN)).count();
        long error = results.stream().filter(Result::failed).count();
        progress.blank();
        progress.event("FreshnessCheckComplete", "Done. PASS=" + pass + " WARN=" + warn + " ERROR=" + error
                + " TOTAL=" + results.size(), Map.of("stats", Map.of("pass", pass, "warn", warn, "error", error,
                "total", results.size())));
    }

    private static String ageText(double seconds) {
        long s = (long) seconds;
        return String.format("%dh %02dm %02ds", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** sources.json in dbt's sources/v3 shape; a runtime error is {unique_id, error, status}. */
    private void write(Path file, List<Result> results, double elapsed) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/sources/v3.json");
        md.put("dbt_version", dev.sluice.log.Version.current().version());
        md.put("generated_at", Instant.now().toString());
        md.put("invocation_id", ws.invocationId());
        md.put("invocation_started_at", ws.startedAt().toString());
        md.put("env", Map.of());
        root.put("metadata", md);
        List<Object> out = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", r.uniqueId());
            if (r.status().equals(RUNTIME_ERROR)) {
                j.put("error", r.error());
                j.put("status", r.status());
            } else {
                j.put("max_loaded_at", r.maxLoadedAt().toString());
                j.put("snapshotted_at", r.snapshottedAt().toString());
                j.put("max_loaded_at_time_ago_in_s", r.age());
                j.put("status", r.status());
                j.put("criteria", r.source().freshness().criteria().json());
                j.put("adapter_response", Map.of());
                j.put("timing", List.of(
                        timing("compile", r.startedAt(), r.startedAt()),
                        timing("execute", r.startedAt(), r.completedAt())));
                j.put("thread_id", r.threadId());
                j.put("execution_time", r.seconds());
            }
            out.add(j);
        }
        root.put("results", out);
        root.put("elapsed_time", elapsed);
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), ws.secrets().maskTree(root));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> timing(String name, Instant started, Instant completed) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("started_at", started.toString());
        t.put("completed_at", completed.toString());
        return t;
    }
}
