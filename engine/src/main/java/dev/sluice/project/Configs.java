package dev.sluice.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resolving and merging node configs the way dbt does. */
public final class Configs {
    /** Config keys that may be written without '+' in a project file folder tree. */
    static final Set<String> KNOWN_KEYS = Set.of("materialized", "schema", "database", "alias", "tags", "enabled",
            "pre-hook", "post-hook", "pre_hook", "post_hook", "unique_key", "incremental_strategy", "on_schema_change",
            "persist_docs", "full_refresh", "meta", "docs", "grants", "column_types", "quote_columns", "severity", "store_failures_as",
            "store_failures", "warn_if", "error_if", "where", "limit", "strategy", "updated_at", "check_cols",
            "target_schema", "target_database", "invalidate_hard_deletes", "hard_deletes", "delimiter", "contract",
            "group", "access", "sql_header", "fail_calc", "quoting", "identifier", "loaded_at_field", "freshness",
            "merge_update_columns", "merge_exclude_columns", "incremental_predicates", "predicates");
    /** Keys whose values accumulate across levels instead of being replaced. */
    private static final Set<String> ADDITIVE = Set.of("tags", "pre-hook", "post-hook");

    private Configs() {
    }

    /**
     * Config that the project file's folder tree gives a node.
     *
     * @param tree the 'models:' (or seeds:, tests:, ...) mapping of the project file
     * @param fqn  project, folders..., node name
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromFolderTree(Map<String, Object> tree, List<String> fqn) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (tree == null) return result;
        applyLevel(result, tree);
        Object level = tree;
        for (String part : fqn) {
            if (!(level instanceof Map<?, ?> m)) break;
            Object next = m.get(part);
            if (!(next instanceof Map<?, ?>)) break;
            applyLevel(result, (Map<String, Object>) next);
            level = next;
        }
        return result;
    }

    private static void applyLevel(Map<String, Object> result, Map<String, Object> level) {
        Map<String, Object> own = new LinkedHashMap<>();
        level.forEach((k, v) -> {
            if (k.startsWith("+")) own.put(k.substring(1), v);
            else if (KNOWN_KEYS.contains(k) && !(v instanceof Map<?, ?> && !k.equals("meta") && !k.equals("docs")
                    && !k.equals("grants") && !k.equals("column_types") && !k.equals("persist_docs"))) own.put(k, v);
        });
        merge(result, own);
    }

    /**
     * A map of the given keys and values in that order. Map.of's iteration order changes with every JVM start,
     * and a config merged from it would write its keys to manifest.json in a different order each compile.
     */
    public static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    /** Merges {@code over} into {@code base}: additive keys accumulate, meta merges, the rest replaces. */
    @SuppressWarnings("unchecked")
    public static void merge(Map<String, Object> base, Map<String, Object> over) {
        over.forEach((rawKey, v) -> {
            String k = rawKey.replace('_', '-').equals("pre-hook") || rawKey.replace('_', '-').equals("post-hook")
                    ? rawKey.replace('_', '-') : rawKey;
            if (k.equals("tags")) {
                Set<Object> all = new LinkedHashSet<>(asList(base.get(k)));
                all.addAll(asList(v));
                base.put(k, new ArrayList<>(all));
            } else if (ADDITIVE.contains(k)) {
                // Hooks accumulate as dbt's do: the project's, then the file's, an identical statement running twice.
                List<Object> all = new ArrayList<>(asList(base.get(k)));
                all.addAll(asList(v));
                base.put(k, all);
            } else if (k.equals("meta") && base.get(k) instanceof Map<?, ?> old && v instanceof Map<?, ?> nv) {
                Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) old);
                m.putAll((Map<String, Object>) nv);
                base.put(k, m);
            } else {
                base.put(k, v);
            }
        });
    }

    public static List<Object> asList(Object v) {
        if (v == null) return List.of();
        if (v instanceof List<?> l) return new ArrayList<>(l);
        return List.of(v);
    }

    public static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : asList(v)) out.add(String.valueOf(o));
        return out;
    }

    /**
     * Whether a node is rebuilt from scratch: its full_refresh config when set, which wins over the --full-refresh
     * flag either way (dbt's should_full_refresh), else the flag.
     */
    public static boolean fullRefresh(Map<String, Object> config, boolean flag) {
        return bool(config.get("full_refresh"), flag);
    }

    public static boolean bool(Object v, boolean fallback) {
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        return Boolean.parseBoolean(v.toString().trim());
    }
}
