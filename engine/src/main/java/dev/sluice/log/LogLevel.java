package dev.sluice.log;

import dev.sluice.error.ConfigException;

import java.util.Locale;

/** dbt's log levels, lowest first; NONE silences a destination. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR, NONE;

    public static LogLevel parse(String flag, String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + " must be one of debug, info, warn, error, none; got '" + value + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    ch.qos.logback.classic.Level logback() {
        return switch (this) {
            case DEBUG -> ch.qos.logback.classic.Level.DEBUG;
            case INFO -> ch.qos.logback.classic.Level.INFO;
            case WARN -> ch.qos.logback.classic.Level.WARN;
            case ERROR -> ch.qos.logback.classic.Level.ERROR;
            case NONE -> ch.qos.logback.classic.Level.OFF;
        };
    }
}
