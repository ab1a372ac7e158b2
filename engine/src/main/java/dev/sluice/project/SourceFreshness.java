package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a source table's freshness is checked, after dbt's merging of source and table settings.
 *
 * @param loadedAtField the column (or SQL expression) whose maximum is the last load time; null when none is set
 * @param loadedAtQuery dbt's custom-SQL alternative to loadedAtField; null when none is set
 * @param criteria      the thresholds; null when freshness is disabled (freshness: null) or never set
 * @param location      where the freshness setting that decided the criteria is written, for messages
 */
public record SourceFreshness(String loadedAtField, String loadedAtQuery, Criteria criteria, SourceLocation location) {

    public static final SourceFreshness NONE = new SourceFreshness(null, null, null, null);

    /** Whether freshness is checked at all: dbt's has_freshness (a complete warn_after or error_after). */
    public boolean checked() {
        return criteria != null && criteria.active();
    }

    /** The periods dbt accepts, with their length in seconds. */
    static final Map<String, Long> PERIODS = Map.of("minute", 60L, "hour", 3600L, "day", 86_400L);

    /** One threshold: count periods; either part may be unset while source and table settings are merged. */
    public record Threshold(Long count, String period) {
        static final Threshold EMPTY = new Threshold(null, null);

        boolean complete() {
            return count != null && period != null;
        }

        /** dbt's Time.merged: what the update sets wins, the rest comes from the base. */
        Threshold over(Threshold base) {
            return new Threshold(count != null ? count : base.count, period != null ? period : base.period);
        }

        /** dbt's Time.exceeded: strictly older than the threshold. */
        public boolean exceeded(double ageSeconds) {
            return complete() && ageSeconds > count * PERIODS.get(period);
        }

        /** As sources.json writes it: {"count": n, "period": "hour"}, nulls included. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("period", period);
            return m;
        }
    }

    /** dbt's FreshnessThreshold: warn_after, error_after and an optional filter (a where clause). */
    public record Criteria(Threshold warnAfter, Threshold errorAfter, String filter) {
        static final Criteria EMPTY = new Criteria(Threshold.EMPTY, Threshold.EMPTY, null);

        public boolean active() {
            return (warnAfter != null && warnAfter.complete()) || (errorAfter != null && errorAfter.complete());
        }

        /** pass, warn or error for an age in seconds; error wins over warn, as in dbt. */
        public String status(double ageSeconds) {
            if (errorAfter != null && errorAfter.exceeded(ageSeconds)) return "error";
            if (warnAfter != null && warnAfter.exceeded(ageSeconds)) return "warn";
            return "pass";
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("warn_after", warnAfter == null ? null : warnAfter.json());
            m.put("error_after", errorAfter == null ? null : errorAfter.json());
            m.put("filter", filter);
            return m;
        }
    }

    /** A freshness: value as written: absent, explicitly null, or a mapping. */
    record Written(boolean present, Criteria criteria, SourceLocation location) {
        static final Written ABSENT = new Written(false, Criteria.EMPTY, null);
    }

    /**
     * Merges, in dbt's order (source, source config:, table, table config:), the freshness settings; a later
     * mapping overrides the keys it sets (one level deep into warn_after and error_after), an explicit null
     * disables freshness until a later level sets it again. Incomplete thresholds after merging are errors.
     */
    static Criteria merge(List<Written> levels) {
        Criteria current = Criteria.EMPTY;
        SourceLocation at = null;
        for (Written w : levels) {
            if (!w.present()) continue;
            if (w.criteria() == null) {
                current = null;
                at = w.location();
                continue;
            }
            at = w.location();
            if (current == null) {
                // dbt: after a null, only a mapping with a complete threshold switches freshness back on.
                current = w.criteria().active() ? w.criteria() : null;
                continue;
            }
            Criteria u = w.criteria();
            current = new Criteria(thresholdOver(current.warnAfter(), u.warnAfter()),
                    thresholdOver(current.errorAfter(), u.errorAfter()), u.filter() != null ? u.filter() : current.filter());
        }
        if (current != null) {
            requireComplete(current.warnAfter(), "warn_after", at);
            requireComplete(current.errorAfter(), "error_after", at);
        }
        return current;
    }

    /** dbt's merge_freshness_time_thresholds: an explicit null removes the threshold, an empty one keeps the base. */
    private static Threshold thresholdOver(Threshold base, Threshold update) {
        if (update == null) return null;
        if (base == null) return update;
        return update.over(base);
    }

    private static void requireComplete(Threshold t, String key, SourceLocation at) {
        if (t == null || t.count() == null && t.period() == null || t.complete()) return;
        throw new ConfigException("freshness " + key + " needs both count and period (period one of minute, hour, day)", at);
    }

    /**
     * The freshness of one source table: loaded_at_field (or loaded_at_query) and freshness: from the table,
     * its config:, the source and the source's config:, as dbt 1.10 merges them (the table level wins; an
     * explicit null at the table level clears what the source set).
     */
    static SourceFreshness of(Yaml source, Yaml table) {
        Yaml sourceConfig = source.get("config");
        Yaml tableConfig = table.get("config");
        Criteria criteria = merge(List.of(written(source), written(sourceConfig), written(table), written(tableConfig)));
        SourceLocation at = table.location();
        String field;
        if (present(table, "loaded_at_field") || present(tableConfig, "loaded_at_field")) {
            field = firstString(table, tableConfig, "loaded_at_field");
        } else {
            field = firstString(source, sourceConfig, "loaded_at_field");
        }
        String query;
        if (table.has("loaded_at_query") || tableConfig.has("loaded_at_query")) {
            query = firstString(table, tableConfig, "loaded_at_query");
        } else {
            query = present(table, "loaded_at_field") ? null : firstString(source, sourceConfig, "loaded_at_query");
        }
        if ((table.has("loaded_at_field") || tableConfig.has("loaded_at_field"))
                && (table.has("loaded_at_query") || tableConfig.has("loaded_at_query"))) {
            throw table.error("cannot set both loaded_at_field and loaded_at_query on a source table");
        }
        if ((source.has("loaded_at_field") || sourceConfig.has("loaded_at_field"))
                && (source.has("loaded_at_query") || sourceConfig.has("loaded_at_query"))) {
            throw source.error("cannot set both loaded_at_field and loaded_at_query on a source");
        }
        if (criteria == null && field == null && query == null) return NONE;
        return new SourceFreshness(field, query, criteria, at);
    }

    private static boolean present(Yaml map, String key) {
        return map.isMap() && map.entries("mapping").containsKey(key);
    }

    private static String firstString(Yaml a, Yaml b, String key) {
        String v = a.get(key).string(key);
        return v != null && !v.isBlank() ? v : b.get(key).string(key);
    }

    private static Written written(Yaml owner) {
        return present(owner, "freshness") ? read(owner.get("freshness")) : Written.ABSENT;
    }

    /** Reads one freshness: value (the key is known to be present). */
    static Written read(Yaml value) {
        SourceLocation at = value.location();
        if (value.isNull()) return new Written(true, null, at);
        if (!value.isMap()) throw value.error("freshness must be a mapping with warn_after, error_after and filter, or null");
        for (String key : value.entries("freshness").keySet()) {
            if (!List.of("warn_after", "error_after", "filter").contains(key)) {
                throw new ConfigException("unknown key '" + key + "' in freshness (known: warn_after, error_after, filter)"
                        + KnownKeys.didYouMean(key, List.of("warn_after", "error_after", "filter")), keyAt(value, key));
            }
        }
        return new Written(true, new Criteria(threshold(value, "warn_after"), threshold(value, "error_after"),
                value.get("filter").string("filter")), at);
    }

    private static SourceLocation keyAt(Yaml map, String key) {
        Yaml v = map.get(key);
        return v.isNull() ? map.location() : v.location();
    }

    private static Threshold threshold(Yaml freshness, String key) {
        if (!freshness.isMap() || !freshness.entries("freshness").containsKey(key)) return Threshold.EMPTY;
        Yaml t = freshness.get(key);
        if (t.isNull()) return null;
        if (!t.isMap()) throw t.error("freshness " + key + " must be a mapping with count and period");
        for (String k : t.entries(key).keySet()) {
            if (!k.equals("count") && !k.equals("period")) {
                throw new ConfigException("unknown key '" + k + "' in freshness " + key + " (known: count, period)"
                        + KnownKeys.didYouMean(k, List.of("count", "period")), keyAt(t, k));
            }
        }
        Long count = null;
        Yaml c = t.get("count");
        if (!c.isNull()) {
            String text = c.string(key + " count");
            try {
                count = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw c.error("freshness " + key + " count must be a whole number, got '" + text + "'");
            }
            if (count < 0) throw c.error("freshness " + key + " count must not be negative, got " + count);
        }
        String period = null;
        Yaml p = t.get("period");
        if (!p.isNull()) {
            period = p.string(key + " period").strip();
            if (!PERIODS.containsKey(period)) {
                throw p.error("freshness " + key + " period must be minute, hour or day, got '" + p.string("period") + "'"
                        + KnownKeys.didYouMean(period, PERIODS.keySet()));
            }
        }
        return new Threshold(count, period);
    }
}
