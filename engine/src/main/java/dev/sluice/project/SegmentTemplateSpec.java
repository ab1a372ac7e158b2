package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A segment template, seed 002 wf08/wf09: criteria with typed parameters, declared once under 'segment_templates:'
 * and instantiated by segments that name it and give the values. Its SQL reads the values as
 * {@code {{ params.NAME }}}.
 *
 * @param master        the master segment its segments are cut from
 * @param description   text with {NAME} placeholders, filled with each instance's values
 * @param where         condition over the master's attributes, or null
 * @param behavior      a behaviour of the master the members' rows are aggregated from, or null
 * @param behaviorWhere condition over the behaviour's rows (with behavior), or null
 * @param having        condition over the member's aggregated behaviour rows (with behavior), or null
 */
public record SegmentTemplateSpec(String name, String description, String master, String type,
                                  Map<String, Parameter> parameters, String where, String behavior, String behaviorWhere,
                                  String having, List<String> columns, SourceLocation location) {
    public static final java.util.Set<String> KEYS = java.util.Set.of("name", "description", "master", "type",
            "parameters", "where", "behavior", "behavior_where", "having", "columns");
    /** The parameter types and what a value of each must be. */
    public static final List<String> TYPES = List.of("string", "integer", "number", "boolean", "date");

    /** A declared parameter; defaultValue null when every instance must give it. */
    public record Parameter(String name, String type, Object defaultValue, SourceLocation location) {
    }
}
