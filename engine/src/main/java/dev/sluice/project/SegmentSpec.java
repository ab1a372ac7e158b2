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
 */
public record SegmentSpec(String name, String description, String from, String where, String idColumn,
                          List<String> columns, String schedule, Map<String, Object> config, SourceLocation location) {
}
