package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A segment declared under 'segments:' in a schema file: the members of a model that meet criteria.
 *
 * @param from     the model (or operator output) members are selected from
 * @param where    SQL condition over that model's columns; may be a template
 * @param idColumn the member id column of the model
 * @param columns  columns carried into the segment table; empty for all
 * @param schedule how often it is meant to refresh (hourly, daily, weekly...): becomes tag schedule:VALUE
 * @param type     seed 002 wf08's kind of segment (one of {@link #TYPES}), or null
 * @param audienceIds destination (an ad platform, a CRM) to the id of this segment's audience there
 */
public record SegmentSpec(String name, String description, String from, String where, String idColumn,
                          List<String> columns, String schedule, String type, Map<String, String> audienceIds,
                          Map<String, Object> config, SourceLocation location) {
    /** The keys a segment entry may have; any other is an error (a misspelt 'where' must not select everyone). */
    public static final java.util.Set<String> KEYS = java.util.Set.of("name", "description", "from", "where", "id_column",
            "columns", "schedule", "type", "audience_ids", "config");
    /** Seed 002 wf08's segment types. */
    public static final List<String> TYPES = List.of("behavioral", "demographic", "engagement", "value");
}
