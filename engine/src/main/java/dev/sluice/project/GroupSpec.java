package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.Map;

/** A dbt group: models with the same group may ref each other's private models. */
public record GroupSpec(String name, Map<String, Object> owner, String description, SourceLocation location) {
}
