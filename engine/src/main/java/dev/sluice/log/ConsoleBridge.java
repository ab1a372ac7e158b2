package dev.sluice.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.Map;

/**
 * Brings template output meant for the user ({{ print() }}, {{ log(msg, info=True) }}) to the console, and the
 * warnings logged to {@value #WARNINGS}.
 */
final class ConsoleBridge extends AppenderBase<ILoggingEvent> {
    /** The logger whose warnings the user sees on the console (and in the log file). */
    static final String WARNINGS = "engine.warn";
    private final EventLog console;

    ConsoleBridge(EventLog console) {
        this.console = console;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLoggerName().equals("engine.print")) console.print(e.getFormattedMessage());
        else if (e.getLoggerName().equals(WARNINGS)) {
            // Warnings of code that has no console of its own, such as a plugin adapter opening its session.
            console.emitConsoleOnly(LogLevel.WARN, "AdapterWarning", "[WARNING]: " + e.getFormattedMessage(),
                    Map.of("msg", e.getFormattedMessage()));
        }
        else console.emitConsoleOnly(LogLevel.INFO, "JinjaLogInfo", e.getFormattedMessage(), Map.of("msg", e.getFormattedMessage()));
    }
}
