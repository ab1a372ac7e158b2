package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/** A model, seed or snapshot's entry in a schema file: docs, config and tests. */
public record ResourceSpec(String name, String description, Map<String, Object> config, List<ColumnSpec> columns,
                           List<TestSpec> tests, SourceLocation location) {
}
