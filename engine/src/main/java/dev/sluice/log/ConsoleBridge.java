package dev.sluice.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.Map;

/**
 * Brings template output meant for the user ({{ print() }}, {{ log(msg, info=True) }}) to the console, and the
 * warnings logged to {@link LogSetup#WARNINGS}.
 */
final class ConsoleBridge extends AppenderBase<ILoggingEvent> {
    private final EventLog console;

    ConsoleBridge(EventLog console) {
        this.console = console;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLoggerName().equals("engine.print")) console.print(e.getFormattedMessage());
        else if (e.getLoggerName().equals(LogSetup.WARNINGS)) {
            // Warnings of code that has no console of its own, such as a plugin adapter opening its session.
            console.warnFromLogger(WarnErrorOptions.ADAPTER_WARNING, e.getFormattedMessage(), Map.of("msg", e.getFormattedMessage()));
        }
        else console.emitConsoleOnly(LogLevel.INFO, "JinjaLogInfo", e.getFormattedMessage(), Map.of("msg", e.getFormattedMessage()));
    }
}
