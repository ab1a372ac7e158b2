package dev.sluice.log;

import dev.sluice.error.ConfigException;

import java.util.Locale;

/** How events are written: dbt's text lines, or one JSON object per event. */
public enum LogFormat {
    TEXT, JSON;

    /** Accepts dbt's names; "default" and "debug" are dbt's spellings of the text format. */
    public static LogFormat parse(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "text", "default", "debug" -> TEXT;
            case "json" -> JSON;
            default -> throw new ConfigException(flag + " must be text or json, got '" + value + "'");
        };
    }
}
