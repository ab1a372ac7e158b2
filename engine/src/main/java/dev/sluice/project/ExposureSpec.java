package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A dbt exposure: a dashboard, notebook, analysis, ML model or application that uses the project's models.
 *
 * @param dependsOn ref('m') / source('s', 't') calls, as written
 */
public record ExposureSpec(String name, String type, Map<String, Object> owner, String description, String label,
                           String maturity, String url, List<String> dependsOn, Map<String, Object> meta,
                           List<String> tags, Map<String, Object> config, SourceLocation location) {
}
