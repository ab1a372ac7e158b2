package dev.sluice.cli;

import dev.sluice.log.EventLog;
import dev.sluice.log.LogFormat;
import dev.sluice.log.LogLevel;
import dev.sluice.log.WarnErrorOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/**
 * Flags every command takes, before or after its name ("engine --quiet build" or "engine build --quiet"), as
 * dbt accepts them. Each can also come from an ENGINE_ or DBT_ environment variable (see {@link EnvDefaults}).
 */
public final class GlobalOptions {
    @Option(names = "--warn-error", scope = ScopeType.INHERIT, description = "Turn every warning into an error")
    boolean warnError;

    @Option(names = "--warn-error-options", scope = ScopeType.INHERIT, paramLabel = "YAML",
            description = "Which warnings are errors: '{\"error\": \"all\" | [names], \"warn\": [names], \"silence\": [names]}'")
    String warnErrorOptions;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, defaultValue = "text", paramLabel = "text|json",
            description = "Console and log file format: text (default) or json, one object per event")
    String logFormat;

    @Option(names = "--log-format-file", scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "Log file format (default: --log-format)")
    String logFormatFile;

    @Option(names = "--log-path", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Folder of engine.log (default: logs in the project folder)")
    Path logPath;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, defaultValue = "info", paramLabel = "LEVEL",
            description = "Lowest level on the console: debug, info (default), warn, error, none")
    String logLevel;

    // No defaultValue: picocli would read a default of "debug" as the debug subcommand; see fileLevel().
    @Option(names = "--log-level-file", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Lowest level in engine.log: debug (default), info, warn, error, none")
    String logLevelFile;

    @Option(names = {"-d", "--debug"}, scope = ScopeType.INHERIT, description = "Same as --log-level debug")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only errors on the console (results of ls, show and compile still print)")
    boolean quiet;

    @Option(names = "--print", negatable = true, scope = ScopeType.INHERIT, defaultValue = "true", fallbackValue = "true",
            description = "Show the output of {{ print() }} calls (--no-print hides it)")
    boolean print;

    @Option(names = "--partial-parse", negatable = true, scope = ScopeType.INHERIT, defaultValue = "true", fallbackValue = "true",
            description = "Reuse the previous parse kept in target/ for nodes whose files, macros, vars and env vars are "
                    + "unchanged (--no-partial-parse parses everything again)")
    boolean partialParse;

    @Option(names = "--use-colors", negatable = true, scope = ScopeType.INHERIT,
            description = "Colour status words on the console (default: when it is a terminal)")
    Boolean useColors;

    @Option(names = "--target-path", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where artifacts go (manifest.json, compiled SQL...), instead of the project's target-path")
    String targetPath;

    EventLog.Settings settings(boolean terminal) {
        LogLevel level = debug ? LogLevel.DEBUG : LogLevel.parse("--log-level", logLevel);
        return new EventLog.Settings(LogFormat.parse("--log-format", logFormat), level, quiet, print,
                useColors != null ? useColors : terminal, WarnErrorOptions.of(warnError, warnErrorOptions));
    }

    LogFormat fileFormat() {
        return logFormatFile != null ? LogFormat.parse("--log-format-file", logFormatFile) : LogFormat.parse("--log-format", logFormat);
    }

    LogLevel fileLevel() {
        return logLevelFile == null ? LogLevel.DEBUG : LogLevel.parse("--log-level-file", logLevelFile);
    }
}
