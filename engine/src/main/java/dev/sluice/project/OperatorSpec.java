package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * An operator declared under 'operators:' in a schema file.
 *
 * @param type      which operator runs it, e.g. "retail_generator" or "churn_classifier"
 * @param sql       an optional template selecting its input; refs in it make its dependencies
 * @param dependsOn names of models it must run after, besides those its sql refs
 * @param outputs   tables it writes; each can be ref()'d, documented and tested like a model
 */
public record OperatorSpec(String name, String type, String description, Map<String, Object> config, String sql,
                           List<String> dependsOn, List<String> outputs, SourceLocation location) {
}
