package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * One entry of a model's versions: in dbt's schema YAML.
 *
 * @param v         the version, as written (2, "2", 1.5)
 * @param definedIn the file (without .sql) that defines it; null for dbt's default, name_v{v}
 * @param include   the model's columns this version keeps; null for all of them
 * @param exclude   the model's columns it drops
 * @param columns   columns of its own, which replace the model's of the same name
 * @param tests     its own model-level data tests, which replace the model's for this version; null for the model's
 */
public record ModelVersion(String v, String definedIn, List<String> include, List<String> exclude,
                           List<ColumnSpec> columns, Map<String, Object> config, String description,
                           SourceLocation location, List<TestSpec> tests) {
}
