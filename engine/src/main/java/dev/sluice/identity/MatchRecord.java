package dev.sluice.identity;

import java.util.Map;

/** A record to match: its id and the text of the columns the rules read (null when absent or blank). */
public record MatchRecord(Object id, Map<String, String> values) {
    public String get(String column) {
        return values.get(column);
    }
}
