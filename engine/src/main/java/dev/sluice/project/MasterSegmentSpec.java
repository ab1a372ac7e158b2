package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A master (parent) segment, seed 002 wf08: the base population child segments are cut from, with its attributes
 * (columns of its own table) and behaviours (event tables linked to its members by id), declared under
 * 'master_segments:' in a schema file.
 *
 * @param from       the model whose rows are the population
 * @param where      SQL condition limiting the population, or null for all rows
 * @param attributes columns (or expressions with aliases) of its table; empty for all
 * @param behaviors  behaviour name to the table it reads
 */
public record MasterSegmentSpec(String name, String description, String from, String idColumn, String where,
                                List<String> attributes, Map<String, Behavior> behaviors, Map<String, Object> config,
                                SourceLocation location) {
    public static final java.util.Set<String> KEYS = java.util.Set.of("name", "description", "from", "id_column", "where",
            "attributes", "behaviors", "config");

    /** A behaviour table: rows of model from whose idColumn is the member's id. */
    public record Behavior(String name, String from, String idColumn, SourceLocation location) {
    }
}
