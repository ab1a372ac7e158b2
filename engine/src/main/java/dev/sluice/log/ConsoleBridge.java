package dev.sluice.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.Map;

/** Brings template output meant for the user ({{ print() }}, {{ log(msg, info=True) }}) to the console. */
final class ConsoleBridge extends AppenderBase<ILoggingEvent> {
    private final EventLog console;

    ConsoleBridge(EventLog console) {
        this.console = console;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLoggerName().equals("engine.print")) console.print(e.getFormattedMessage());
        else console.emitConsoleOnly(LogLevel.INFO, "JinjaLogInfo", e.getFormattedMessage(), Map.of("msg", e.getFormattedMessage()));
    }
}
