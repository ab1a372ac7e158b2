package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A segment declared under 'segments:' in a schema file: the members of a model that meet criteria.
 *
 * @param from     the model (or operator output, or master segment) members are selected from
 * @param where    SQL condition over that model's columns; may be a template; null for a template's instance
 *                 whose template has only a behaviour condition
 * @param idColumn the member id column of the model
 * @param columns  columns carried into the segment table; empty for all
 * @param schedule how often it is meant to refresh (hourly, daily, weekly...): becomes tag schedule:VALUE
 * @param type     seed 002 wf08's kind of segment (one of {@link #TYPES}), or null
 * @param audienceIds destination (an ad platform, a CRM) to the id of this segment's audience there
 * @param instance how the segment was cut from a template; null for a segment written out in full
 */
public record SegmentSpec(String name, String description, String from, String where, String idColumn,
                          List<String> columns, String schedule, String type, Map<String, String> audienceIds,
                          Map<String, Object> config, SourceLocation location, Instance instance) {
    /** The keys a segment entry may have; any other is an error (a misspelt 'where' must not select everyone). */
    public static final java.util.Set<String> KEYS = java.util.Set.of("name", "description", "from", "where", "id_column",
            "columns", "schedule", "type", "audience_ids", "config", "template", "parameters");
    /** Seed 002 wf08's segment types. */
    public static final List<String> TYPES = List.of("behavioral", "demographic", "engagement", "value");

    public SegmentSpec(String name, String description, String from, String where, String idColumn,
                       List<String> columns, String schedule, String type, Map<String, String> audienceIds,
                       Map<String, Object> config, SourceLocation location) {
        this(name, description, from, where, idColumn, columns, schedule, type, audienceIds, config, location, null);
    }

    /**
     * A segment cut from a template: the parameter values it gives (checked against the template's declared
     * types once both are read) and, after that, the behaviour condition the template makes of them.
     *
     * @param values    parameter name to its value as YAML gave it (String, Long, Double, Boolean)
     * @param valueAt   where each value is written, for errors
     * @param templateAt the template's entry, where errors in the template's own text point
     * @param behavior  the members' condition on a behaviour table, or null when the template has none
     */
    public record Instance(String template, Map<String, Object> values, Map<String, SourceLocation> valueAt,
                           SourceLocation templateAt, Behavior behavior) {
    }

    /**
     * Members having rows in a behaviour table (a master segment's, e.g. purchases) that meet a condition,
     * aggregated per member: select idColumn from from where where group by idColumn having having.
     */
    public record Behavior(String name, String from, String idColumn, String where, String having) {
    }
}
