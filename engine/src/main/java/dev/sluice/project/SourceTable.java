package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A table declared under 'sources:', referenced with source('source_name', 'name').
 *
 * @param packageName the installed package that declares it; null for the root project
 * @param freshness   loaded_at_field and freshness thresholds, merged from source and table
 * @param external    the file the table is loaded from, or null for a table the warehouse has
 */
public record SourceTable(String sourceName, String name, String database, String schema, String identifier,
                          String description, List<ColumnSpec> columns, List<TestSpec> tests,
                          Map<String, Object> meta, SourceLocation location, String packageName,
                          SourceFreshness freshness, ExternalSpec external) {

    public SourceTable(String sourceName, String name, String database, String schema, String identifier,
                       String description, List<ColumnSpec> columns, List<TestSpec> tests,
                       Map<String, Object> meta, SourceLocation location, String packageName,
                       SourceFreshness freshness) {
        this(sourceName, name, database, schema, identifier, description, columns, tests, meta, location, packageName,
                freshness, null);
    }

    public SourceTable {
        if (freshness == null) freshness = SourceFreshness.NONE;
    }

    public SourceTable(String sourceName, String name, String database, String schema, String identifier,
                       String description, List<ColumnSpec> columns, List<TestSpec> tests,
                       Map<String, Object> meta, SourceLocation location, String packageName) {
        this(sourceName, name, database, schema, identifier, description, columns, tests, meta, location, packageName,
                SourceFreshness.NONE);
    }

    public SourceTable(String sourceName, String name, String database, String schema, String identifier,
                       String description, List<ColumnSpec> columns, List<TestSpec> tests,
                       Map<String, Object> meta, SourceLocation location) {
        this(sourceName, name, database, schema, identifier, description, columns, tests, meta, location, null,
                SourceFreshness.NONE);
    }

    /** The same source declared by an installed package. */
    public SourceTable inPackage(String pkg) {
        return new SourceTable(sourceName, name, database, schema, identifier, description, columns, tests, meta,
                location, pkg, freshness, external);
    }

    /** The same source with its external file resolved against the folder of the project declaring it. */
    public SourceTable resolvedAgainst(java.nio.file.Path projectRoot) {
        if (external == null) return this;
        return new SourceTable(sourceName, name, database, schema, identifier, description, columns, tests, meta,
                location, packageName, freshness, external.resolvedAgainst(projectRoot));
    }

    /** @param project the root project, the source's package unless an installed package declares it */
    public String uniqueId(String project) {
        return "source." + (packageName == null ? project : packageName) + "." + sourceName + "." + name;
    }
}
