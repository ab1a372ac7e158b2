package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.Map;

/**
 * One generic test as declared in a schema file, e.g. {@code - accepted_values: {values: [a, b]}}.
 *
 * @param testName   the generic test, e.g. "not_null"
 * @param customName the explicit 'name:' given in YAML, or null
 * @param columnName the column it is declared under, or null for a model-level test
 * @param args       arguments passed to the test macro (values, to, field, ...), unrendered
 * @param config     test config (severity, warn_if, error_if, where, limit, store_failures, tags, enabled)
 */
public record TestSpec(String testName, String customName, String columnName, Map<String, Object> args,
                       Map<String, Object> config, SourceLocation location) {
}
