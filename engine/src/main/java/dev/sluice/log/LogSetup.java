package dev.sluice.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.sluice.error.ConfigException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Logback at logs/engine.log for one invocation: rotated at 10 MB with five old files kept (as dbt
 * does), text or JSON lines, secrets masked. Other libraries log at WARN and above only; the engine's own
 * loggers (dev.sluice.*, engine.*) down to the file level.
 */
public final class LogSetup {
    /**
     * The logger whose warnings the user sees on the console (and in the log file), for code without a console
     * of its own, such as a plugin adapter opening its session. They are dbt's warnings as any other, named
     * AdapterWarning for --warn-error-options (see {@link EventLog#warnFromLogger}).
     */
    public static final String WARNINGS = "engine.warn";

    static final String SECRETS_KEY = "engine.secrets";
    static final String INVOCATION_KEY = "invocation_id";
    private static final String APPENDER = "engine-file";

    private LogSetup() {
    }

    /** @return the file written to, or null when logging to a file is off (level none) */
    /**
     * @param logDir  where engine.log goes; null for no log file (the project folder does not exist)
     * @param console this invocation's console, which gets {{ print() }} and {{ log(..., info=True) }} output
     */
    public static Path configure(Path logDir, LogFormat format, LogLevel fileLevel, String invocationId, EventLog console) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return null;
        ctx.reset();
        ctx.putObject(SECRETS_KEY, console.secrets());
        ctx.putProperty(INVOCATION_KEY, invocationId);
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.OFF);
        ConsoleBridge bridge = new ConsoleBridge(console);
        bridge.setContext(ctx);
        bridge.start();
        for (String name : new String[]{"engine.print", "engine.jinja.info", WARNINGS}) {
            ctx.getLogger(name).setLevel(name.equals(WARNINGS) ? Level.WARN : Level.INFO);
            ctx.getLogger(name).addAppender(bridge);
        }
        if (fileLevel == LogLevel.NONE || logDir == null) return null;
        Secrets secrets = console.secrets();
        Path file = logDir.resolve("engine.log").toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the log folder " + logDir + " (--log-path): " + e.getMessage());
        }
        EngineLayout layout = new EngineLayout(format, secrets);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        ch.qos.logback.classic.filter.ThresholdFilter threshold = new ch.qos.logback.classic.filter.ThresholdFilter();
        threshold.setLevel(fileLevel.logback().toString());
        threshold.start();
        appender.addFilter(threshold);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        if (!appender.isStarted()) throw new ConfigException("cannot write the log file " + file + " (--log-path)");
        // Logback reports a file it cannot open as a status, not an exception.
        if (!Files.isWritable(file)) throw new ConfigException("cannot write the log file " + file + " (--log-path)");

        root.setLevel(Level.WARN);
        root.addAppender(appender);
        ctx.getLogger("dev.sluice").setLevel(fileLevel.logback());
        ctx.getLogger("engine").setLevel(fileLevel.logback());
        return file;
    }

    /** Flushes and closes the log file, so the next invocation (or a test) can read or move it. */
    public static void close() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) ctx.reset();
    }

    /** Registers secret values found while loading profiles and env vars; a no-op when Logback is not in use. */
    public static void addSecret(String value) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx && ctx.getObject(SECRETS_KEY) instanceof Secrets s) {
            s.add(value);
        }
    }
}
