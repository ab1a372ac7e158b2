package dev.sluice.project;

import dev.sluice.error.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys dbt (and this engine) know, one list per kind, and the warnings for keys that are not among
 * them: a misspelt key would otherwise be ignored without a word. Each warning names the file and line
 * and, for a close match, what was probably meant.
 */
public final class KnownKeys {

    /** Node configs: {{ config(...) }}, config: in YAML, +key in the project file. */
    public static final Set<String> CONFIG = Set.of(
            // general
            "materialized", "schema", "database", "catalog", "alias", "tags", "enabled", "pre-hook", "post-hook",
            "pre_hook", "post_hook", "persist_docs", "full_refresh", "meta", "docs", "grants", "contract", "group",
            "access", "sql_header", "quoting", "on_configuration_change", "event_time", "unique_key", "packages",
            "column_types", "quote_columns", "delimiter", "latest_version", "deprecation_date",
            // incremental and microbatch
            "incremental_strategy", "on_schema_change", "merge_update_columns", "merge_exclude_columns",
            "incremental_predicates", "predicates", "batch_size", "begin", "lookback", "concurrent_batches",
            // snapshots
            "strategy", "updated_at", "check_cols", "target_schema", "target_database", "invalidate_hard_deletes",
            "hard_deletes", "snapshot_meta_column_names", "dbt_valid_to_current",
            // tests
            "severity", "store_failures", "store_failures_as", "warn_if", "error_if", "where", "limit", "fail_calc",
            // sources
            "identifier", "loaded_at_field", "loaded_at_query", "freshness", "external",
            // warehouse specific ones dbt's adapters define
            "indexes", "unlogged", "transient", "copy_grants", "secure", "query_tag", "cluster_by", "automatic_clustering",
            "snowflake_warehouse", "target_lag", "table_format", "external_volume", "base_location_root",
            "base_location_subpath", "file_format", "location_root", "partition_by", "clustered_by", "buckets",
            "tblproperties", "liquid_clustered_by", "auto_liquid_cluster", "databricks_tags", "compression",
            "labels", "partition_expiration_days", "require_partition_filter", "kms_key_name", "hours_to_expiration",
            "sort", "dist", "sort_type", "bind", "backup", "auto_refresh", "refresh_interval_minutes", "options",
            "sql_warehouse", "schedule");

    /** Top-level blocks of a schema YAML file this engine reads. */
    static final Set<String> SCHEMA_FILE = Set.of("version", "models", "seeds", "snapshots", "sources", "operators",
            "segments", "master_segments", "segment_templates", "macros", "analyses", "unit_tests", "exposures", "groups");

    /** Blocks dbt has that this engine does not read (yet): a warning says so rather than ignoring them. */
    static final Set<String> SCHEMA_FILE_NOT_READ = Set.of("metrics", "semantic_models", "saved_queries");

    /** Properties of a model, seed, snapshot or analysis entry. */
    static final Set<String> RESOURCE = Set.of("name", "description", "config", "columns", "tests", "data_tests",
            "docs", "meta", "tags", "access", "group", "latest_version", "versions", "constraints",
            "deprecation_date", "time_spine", "quote_columns", "column_types", "identifier", "relation");

    /** Properties of an operator entry (its config: keys depend on its type and are checked against it). */
    static final Set<String> OPERATOR = Set.of("name", "type", "description", "sql", "depends_on", "config", "outputs");

    /** Properties of an output written as a mapping under an operator's outputs:. */
    static final Set<String> OPERATOR_OUTPUT = Set.of("name");

    /** Properties of a column. */
    static final Set<String> COLUMN = Set.of("name", "description", "data_type", "meta", "tests", "data_tests",
            "quote", "constraints", "tags", "config", "granularity", "policy_tags");

    /** Properties of a source. */
    static final Set<String> SOURCE = Set.of("name", "description", "database", "catalog", "schema", "loader",
            "loaded_at_field", "loaded_at_query", "meta", "tags", "config", "overrides", "freshness", "quoting",
            "tables");

    /** Properties of a source table. */
    static final Set<String> SOURCE_TABLE = Set.of("name", "description", "meta", "identifier", "schema",
            "loaded_at_field", "loaded_at_query", "tests", "data_tests", "tags", "columns", "config", "quoting",
            "external", "freshness", "database");

    /** Settings of the project file. */
    static final Set<String> PROJECT_FILE = Set.of("name", "version", "config-version", "profile", "model-paths",
            "source-paths", "seed-paths", "data-paths", "test-paths", "macro-paths", "snapshot-paths", "docs-paths",
            "analysis-paths", "asset-paths", "target-path", "log-path", "packages-install-path", "clean-targets",
            "vars", "models", "seeds", "tests", "data_tests", "snapshots", "sources", "operators", "on-run-start",
            "on-run-end", "require-dbt-version", "quoting", "dispatch", "restrict-access", "query-comment", "flags",
            "exposures", "metrics", "semantic-models", "saved-queries", "unit_tests", "dbt-cloud", "analyses");

    private KnownKeys() {
    }

    /** " (did you mean 'x'?)" for the closest known key, or "". */
    public static String didYouMean(String key, Collection<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        String k = key.toLowerCase(Locale.ROOT);
        for (String candidate : new TreeSet<>(known)) {
            int d = dev.sluice.error.EditDistance.of(k, candidate.toLowerCase(Locale.ROOT));
            // materialization -> materialized: a common stem counts as close too.
            if (d > 2 && commonPrefix(k, candidate) >= Math.max(6, candidate.length() - 2)) d = 2;
            if (d < bestD) {
                bestD = d;
                best = candidate;
            }
        }
        return best != null && bestD <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) n++;
        return n;
    }


    /** Warnings for the keys of a YAML mapping that are not in known. */
    /**
     * dbt properties and configs this engine knows but does not apply yet (model versions, groups and access,
     * constraints): a warning says each one is ignored.
     */
    static final Set<String> NOT_APPLIED = Set.of();

    static void checkMapping(Yaml map, Set<String> known, String what, List<String> warnings) {
        if (!map.isMap()) return;
        for (Map.Entry<String, Yaml> e : map.entries(what).entrySet()) {
            if (NOT_APPLIED.contains(e.getKey())) {
                warnings.add(keyLocation(map, e.getKey()) + ": '" + e.getKey() + "' of " + what
                        + " is not supported by this engine yet; ignored");
            } else if (!known.contains(e.getKey())) {
                warnings.add(keyLocation(map, e.getKey()) + ": unknown key '" + e.getKey() + "' in " + what + ", ignored"
                        + didYouMean(e.getKey(), known));
            }
        }
    }

    /** Warnings for the keys of a config: mapping in YAML. */
    static void checkConfig(Yaml config, String what, List<String> warnings) {
        if (!config.isMap()) return;
        for (String key : config.entries("config").keySet()) {
            if (NOT_APPLIED.contains(key)) {
                warnings.add(keyLocation(config, key) + ": config '" + key + "' of " + what
                        + " is not supported by this engine yet; ignored");
            } else if (!CONFIG.contains(key)) {
                warnings.add(keyLocation(config, key) + ": unknown config '" + key + "' in " + what + ", ignored"
                        + didYouMean(key, CONFIG) + "; custom values belong under meta:");
            }
        }
    }

    /** Where a key of a mapping is written (the value's line; the mapping's when the value is empty). */
    private static SourceLocation keyLocation(Yaml map, String key) {
        Yaml v = map.get(key);
        return v.isNull() ? map.location() : new SourceLocation(v.file(), v.location().line(), 0);
    }

    /**
     * Warnings for the project file's settings and its models:/seeds:/... folder trees: a +key must be a config,
     * and so must a plain key whose value is not a folder mapping.
     */
    static List<String> projectFile(Yaml root) {
        List<String> warnings = new ArrayList<>();
        if (!root.isMap()) return warnings;
        checkMapping(root, PROJECT_FILE, "the project file", warnings);
        for (String section : List.of("models", "seeds", "tests", "data_tests", "snapshots", "sources")) {
            folderTree(root.get(section), section, warnings);
        }
        return warnings;
    }

    private static void folderTree(Yaml level, String section, List<String> warnings) {
        if (!level.isMap()) return;
        for (Map.Entry<String, Yaml> e : level.entries(section).entrySet()) {
            String key = e.getKey();
            Yaml v = e.getValue();
            if (key.startsWith("+")) {
                String name = key.substring(1);
                if (!CONFIG.contains(name)) {
                    String dym = didYouMean(name, CONFIG).replace("mean '", "mean '+");
                    warnings.add(new SourceLocation(v.file(), v.location().line(), 0) + ": unknown config '" + key
                            + "' under " + section + ":, ignored" + dym + "; custom values belong under +meta:");
                }
            } else if (v.isMap()) {
                if (!CONFIG.contains(key)) folderTree(v, section, warnings);
            } else if (!CONFIG.contains(key)) {
                warnings.add(new SourceLocation(v.file(), v.location().line(), 0) + ": '" + key + "' under " + section
                        + ": is neither a config nor a folder, ignored" + didYouMean(key, CONFIG));
            }
        }
    }

    private static final Pattern CONFIG_CALL_KEY = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_-]*)\\s*=(?!=)");

    /**
     * Warnings for the keys a model's {{ config(...) }} set, placed on the line where each key is written.
     *
     * @param lineOffset lines before the node's code in its file (snapshot blocks)
     */
    public static List<String> inFileConfig(Collection<String> keys, Path file, String code, int lineOffset) {
        List<String> warnings = new ArrayList<>();
        for (String key : keys) {
            if (CONFIG.contains(key)) continue;
            int line = 0;
            Matcher m = CONFIG_CALL_KEY.matcher(code);
            while (m.find()) {
                if (m.group(1).equals(key)) {
                    line = lineOffset + 1 + (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                    break;
                }
            }
            warnings.add(new SourceLocation(file, line, 0) + ": unknown config '" + key + "' in config(), ignored"
                    + didYouMean(key, CONFIG) + "; custom values belong under meta=");
        }
        return warnings;
    }
}
