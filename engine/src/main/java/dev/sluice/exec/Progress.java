package dev.sluice.exec;

import dev.sluice.log.EventLog;
import dev.sluice.log.LogLevel;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints dbt-style lines: "12:00:01  3 of 9 START sql view model main.stg ..... [RUN]", each as an event with
 * dbt's name and data (so --log-format json gives what log tools written for dbt expect).
 */
public final class Progress {
    private final EventLog log;

    public Progress(PrintStream out) {
        this(EventLog.console(out));
    }

    public Progress(EventLog log) {
        this.log = log;
    }

    public EventLog log() {
        return log;
    }

    /** The same output with secrets masked in every line (node messages may echo SQL or urls), log file included. */
    public Progress masking(java.util.function.UnaryOperator<String> mask) {
        log.secrets().addMask(mask);
        return this;
    }

    /**
     * A message a template printed: print() output (marked by the compiler) unless --no-print, log(info=True)
     * output as dbt's JinjaLogInfo, and warnings through --warn-error.
     */
    public void template(String message) {
        if (message.startsWith(dev.sluice.compile.Compiler.PRINTED)) {
            log.print(message.substring(dev.sluice.compile.Compiler.PRINTED.length()));
        } else if (message.startsWith("[WARNING]: ")) {
            log.warn("JinjaLogWarning", message.substring("[WARNING]: ".length()), Map.of("msg", message));
        } else {
            log.info("JinjaLogInfo", message, Map.of("msg", message));
        }
    }

    /** A line without a more specific event name (dbt's generic "Note"). */
    public void line(String text) {
        log.info("Note", text, Map.of());
    }

    public void event(String name, String text, Map<String, Object> data) {
        log.info(name, text, data);
    }

    /** @see EventLog#warn */
    public void warn(String name, String text) {
        log.warn(name, text, Map.of("msg", text));
    }

    public void blank() {
        log.info("Formatting", "", Map.of("msg", ""));
    }

    public void status(int index, int total, String text, String status) {
        log.info("Note", statusLine(index, total, text, status), Map.of());
    }

    private static String statusLine(int index, int total, String text, String status) {
        String prefix = index + " of " + total + " " + text + " ";
        int dots = Math.max(3, 80 - prefix.length());
        return prefix + ".".repeat(dots) + " [" + status + "]";
    }

    /** dbt's LogStartLine on the console plus NodeStart for tools. */
    public void nodeStart(NodeJob job, int index, int total, Instant startedAt) {
        Map<String, Object> info = nodeInfo(job, "started", startedAt, null);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("node_info", info);
        d.put("description", job.describe());
        d.put("index", index);
        d.put("total", total);
        log.info("LogStartLine", statusLine(index, total, "START " + job.describe(), "RUN"), d);
        log.debug("NodeStart", "Began running node " + job.uniqueId(), Map.of("node_info", info));
    }

    /** The result line (LogModelResult, LogTestResult, ... as dbt names them) plus NodeFinished. */
    public void nodeFinished(NodeJob job, NodeResult r, int index, int total, String text, String status) {
        Map<String, Object> info = nodeInfo(job, r.status().json(), r.startedAt(), r.completedAt());
        String type = resourceType(job.uniqueId());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("node_info", info);
        String name;
        if (r.status() == NodeStatus.SKIPPED || r.status() == NodeStatus.UNCHANGED) {
            name = "SkippingDetails";
            d.put("resource_type", type);
            d.put("node_name", nodeName(job.uniqueId()));
            if (r.status() == NodeStatus.UNCHANGED) {
                d.put("reason", "unchanged");
                d.putAll(r.adapterResponse());
            }
        } else {
            name = switch (type) {
                case "test" -> "LogTestResult";
                case "seed" -> "LogSeedResult";
                case "snapshot" -> "LogSnapshotResult";
                default -> "LogModelResult";
            };
            d.put("description", job.describe());
            d.put("status", r.status() == NodeStatus.SUCCESS ? r.message() : r.status().json());
            d.put("execution_time", r.seconds());
            if (r.failures() != null) d.put("num_failures", r.failures());
        }
        d.put("index", index);
        d.put("total", total);
        String line = statusLine(index, total, text, status);
        LogLevel level = r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL ? LogLevel.ERROR
                : r.status() == NodeStatus.WARN ? LogLevel.WARN : LogLevel.INFO;
        log.emit(level, name, line, d);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", r.status().json());
        result.put("message", r.error() != null ? r.error() : r.message());
        result.put("execution_time", r.seconds());
        result.put("num_failures", r.failures());
        result.put("adapter_response", r.adapterResponse());
        // Ordered, as dbt's event: Map.of's order changes with each JVM, and JSON logs are compared run to run.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("node_info", info);
        data.put("run_result", result);
        log.debug("NodeFinished", "Finished running node " + job.uniqueId(), data);
    }

    private static Map<String, Object> nodeInfo(NodeJob job, String status, Instant started, Instant finished) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("unique_id", job.uniqueId());
        info.put("node_name", nodeName(job.uniqueId()));
        info.put("resource_type", resourceType(job.uniqueId()));
        info.put("description", job.describe());
        info.put("node_status", status);
        info.put("node_started_at", started == null ? "" : IsoInstant.format(started));
        info.put("node_finished_at", finished == null ? "" : IsoInstant.format(finished));
        return info;
    }

    /**
     * "1.25s": seconds to two decimals, rounded half up, as String.format("%.2fs") writes them (which cost more
     * than a trivial node's own work, once per node).
     */
    static String seconds(double seconds) {
        long centis = Math.round(Math.max(0, seconds) * 100);
        long frac = centis % 100;
        return centis / 100 + (frac < 10 ? ".0" : ".") + frac + "s";
    }

    private static String resourceType(String uniqueId) {
        int dot = uniqueId.indexOf('.');
        return dot < 0 ? uniqueId : uniqueId.substring(0, dot);
    }

    private static String nodeName(String uniqueId) {
        return uniqueId.substring(uniqueId.lastIndexOf('.') + 1);
    }
}
