package dev.sluice.project;

import dev.sluice.error.SourceLocation;

/**
 * Renders the Jinja in a YAML string value ({@code schema: "{{ target.schema }}"}) with the limited
 * context dbt gives YAML: var, env_var, target. Errors are located at the value.
 */
@FunctionalInterface
public interface YamlRenderer {
    String render(SourceLocation at, String text);
}
