package dev.sluice.log;

import dev.sluice.error.WarningAsErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The events of one invocation: printed on the console as dbt prints them (text lines, or one JSON object per
 * event with --log-format json) and written to the log file through SLF4J with their name and data.
 * Warnings pass through --warn-error-options here, so every warning can be made an error or silenced.
 */
public final class EventLog {
    private static final Logger FILE = LoggerFactory.getLogger("engine.events");
    private static final String RED = "\u001B[31m", GREEN = "\u001B[32m", YELLOW = "\u001B[33m", RESET = "\u001B[0m";

    /**
     * @param format    console format
     * @param level     lowest level shown on the console
     * @param quiet     only errors on the console (results of ls and show are printed regardless)
     * @param print     whether {{ print() }} output is shown
     * @param colors    ANSI colours on status words
     */
    public record Settings(LogFormat format, LogLevel level, boolean quiet, boolean print, boolean colors,
                           WarnErrorOptions warnError) {
        public static final Settings DEFAULT = new Settings(LogFormat.TEXT, LogLevel.INFO, false, true, false, WarnErrorOptions.NONE);
    }

    private final PrintStream out;
    private final Settings settings;
    private final String invocationId;
    private final Secrets secrets;
    /** The first warning from a logger that --warn-error made an error, until the CLI raises it. */
    private final java.util.concurrent.atomic.AtomicReference<WarningAsErrorException> deferred =
            new java.util.concurrent.atomic.AtomicReference<>();

    public EventLog(PrintStream out, Settings settings, String invocationId, Secrets secrets) {
        this.out = out;
        this.settings = settings;
        this.invocationId = invocationId;
        this.secrets = secrets;
    }

    /** Text on the console at info, as before there were settings; for callers outside the CLI. */
    public static EventLog console(PrintStream out) {
        return new EventLog(out, Settings.DEFAULT, UUID.randomUUID().toString(), new Secrets());
    }

    public String invocationId() {
        return invocationId;
    }

    public Settings settings() {
        return settings;
    }

    /** Values masked on the console and in the log file. */
    public Secrets secrets() {
        return secrets;
    }

    /** An event for the console only: the log file already has it with more detail (a stack trace). */
    public void emitConsoleOnly(LogLevel level, String name, String msg, Map<String, Object> data) {
        if (!shown(level)) return;
        synchronized (out) {
            if (settings.format() == LogFormat.JSON) writeJson(level, name, msg, data);
            else out.println(TimeOfDay.now() + "  " + colour(level, secrets.mask(msg)));
            out.flush();
        }
    }

    public void info(String name, String msg, Map<String, Object> data) {
        emit(LogLevel.INFO, name, msg, data);
    }

    public void debug(String name, String msg, Map<String, Object> data) {
        emit(LogLevel.DEBUG, name, msg, data);
    }

    public void error(String name, String msg, Map<String, Object> data) {
        emit(LogLevel.ERROR, name, msg, data);
    }

    /**
     * A warning, or an error when --warn-error(-options) says so.
     *
     * @throws WarningAsErrorException when this warning is to be an error
     */
    public void warn(String name, String msg, Map<String, Object> data) {
        switch (settings.warnError().decide(name)) {
            case SILENCE -> emit(LogLevel.DEBUG, name, msg, data);
            case ERROR -> {
                // Only to the file here: the CLI prints the error it becomes, once.
                FILE.atError().addKeyValue("event", name).addKeyValue("data", data == null ? Map.of() : data).log(msg);
                throw new WarningAsErrorException(name, msg);
            }
            case WARN -> emit(LogLevel.WARN, name, "[WARNING]: " + msg, data);
        }
    }

    /**
     * A warning logged by code that has no console of its own (a plugin adapter opening its session): shown as a
     * warning, silenced, or, when --warn-error(-options) makes it an error, kept for {@link #raiseDeferred()}. It
     * cannot be thrown where it is logged: Logback's appenders swallow exceptions, and the caller is another's code.
     * The log file has it from its logger already, so it goes to the console only.
     */
    public void warnFromLogger(String name, String msg, Map<String, Object> data) {
        switch (settings.warnError().decide(name)) {
            case SILENCE -> { }
            case ERROR -> deferred.compareAndSet(null, new WarningAsErrorException(name, msg));
            case WARN -> emitConsoleOnly(LogLevel.WARN, name, "[WARNING]: " + msg, data);
        }
    }

    /** @throws WarningAsErrorException the first warning from a logger that was to be an error, once */
    public void raiseDeferred() {
        WarningAsErrorException e = deferred.getAndSet(null);
        if (e != null) throw e;
    }

    /** Whether a warning of this name would be turned into an error (test results with severity warn). */
    public boolean isError(String name) {
        return settings.warnError().decide(name) == WarnErrorOptions.Outcome.ERROR;
    }

    /** Output of {{ print() }}: dbt's PrintEvent, shown unless --no-print. */
    public void print(String msg) {
        if (!settings.print()) return;
        if (settings.format() == LogFormat.JSON) writeJson(LogLevel.INFO, "PrintEvent", msg, Map.of("msg", msg));
        else out.println(secrets.mask(msg));
        out.flush();
    }

    public void emit(LogLevel level, String name, String msg, Map<String, Object> data) {
        Map<String, Object> d = data == null ? Map.of() : data;
        FILE.atLevel(slf4j(level)).addKeyValue("event", name).addKeyValue("data", d).log(msg);
        if (!shown(level)) return;
        synchronized (out) {
            if (settings.format() == LogFormat.JSON) {
                writeJson(level, name, msg, d);
            } else {
                out.println(TimeOfDay.now() + "  " + colour(level, secrets.mask(msg)));
            }
            out.flush();
        }
    }

    private void writeJson(LogLevel level, String name, String msg, Map<String, Object> data) {
        out.println(secrets.mask(Events.json(name, level.label(), Instant.now(), msg, invocationId,
                Thread.currentThread().getName(), data)));
    }

    private boolean shown(LogLevel level) {
        if (settings.level() == LogLevel.NONE) return false;
        if (settings.quiet()) return level == LogLevel.ERROR;
        return level.ordinal() >= settings.level().ordinal();
    }

    /** Colours the status in brackets at the end of a line, or the whole line of a warning or error. */
    private String colour(LogLevel level, String msg) {
        if (!settings.colors() || msg.isEmpty()) return msg;
        if (level == LogLevel.ERROR) return RED + msg + RESET;
        if (level == LogLevel.WARN) return YELLOW + msg + RESET;
        int open = msg.lastIndexOf(" [");
        if (open < 0 || !msg.endsWith("]")) return msg;
        String status = msg.substring(open + 2, msg.length() - 1);
        String c = status.startsWith("ERROR") || status.startsWith("FAIL") ? RED
                : status.startsWith("WARN") || status.startsWith("SKIP") ? YELLOW
                : status.startsWith("RUN") ? null : GREEN;
        return c == null ? msg : msg.substring(0, open + 2) + c + status + RESET + "]";
    }

    private static Level slf4j(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR, NONE -> Level.ERROR;
        };
    }
}
