package dev.sluice.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import org.slf4j.event.KeyValuePair;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log file line per event: dbt's file text format ("12:00:01.123 [debug] [thread]: msg") or its JSON
 * format ({"info": {name, level, ts, msg, invocation_id, ...}, "data": {...}}), with secrets masked.
 */
final class EngineLayout extends LayoutBase<ILoggingEvent> {
    private final LogFormat format;
    private final Secrets secrets;

    EngineLayout(LogFormat format, Secrets secrets) {
        this.format = format;
        this.secrets = secrets;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        String level = e.getLevel().toString().toLowerCase(java.util.Locale.ROOT);
        String trace = e.getThrowableProxy() == null ? null : ThrowableProxyUtil.asString(e.getThrowableProxy());
        if (format == LogFormat.TEXT) {
            StringBuilder sb = new StringBuilder();
            sb.append(TimeOfDay.withMillis(e.getTimeStamp())).append(" [").append(level).append("] [")
                    .append(e.getThreadName()).append("]: ").append(e.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (trace != null) sb.append(trace).append(CoreConstants.LINE_SEPARATOR);
            return secrets.mask(sb.toString());
        }
        String name = null;
        Object data = null;
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                if (kv.key.equals("event")) name = String.valueOf(kv.value);
                else if (kv.key.equals("data")) data = kv.value;
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> m) m.forEach((k, v) -> d.put(String.valueOf(k), v));
        if (trace != null) d.put("exc_info", trace);
        if (name == null) d.put("logger", e.getLoggerName());
        String id = getContext() == null ? null : getContext().getProperty(LogSetup.INVOCATION_KEY);
        return secrets.mask(Events.json(name == null ? "Note" : name, level, Instant.ofEpochMilli(e.getTimeStamp()),
                e.getFormattedMessage(), id, e.getThreadName(), d)) + CoreConstants.LINE_SEPARATOR;
    }
}
