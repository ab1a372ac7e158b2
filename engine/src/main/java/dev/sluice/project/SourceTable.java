package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/** A table declared under 'sources:', referenced with source('source_name', 'name'). */
public record SourceTable(String sourceName, String name, String database, String schema, String identifier,
                          String description, List<ColumnSpec> columns, List<TestSpec> tests,
                          Map<String, Object> meta, SourceLocation location) {

    public String uniqueId(String project) {
        return "source." + project + "." + sourceName + "." + name;
    }
}
