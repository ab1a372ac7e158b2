package dev.sluice.template;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a template evaluation needs beyond its own variables: which file it is (for error
 * locations), the render it belongs to (per-render functions and variables, which macros see too),
 * how deep in macro calls it is, and the package whose macro is running (its own macros come first,
 * as in dbt). Passed through Pebble's context rather than a ThreadLocal.
 */
record Frame(Path file, Render render, int depth, String pkg) {

    /** Context variable that carries the frame; the double underscore keeps it out of users' way. */
    static final String VARIABLE = "__sluice_frame";

    /** One call of TemplateEngine.render. */
    record Render(Map<String, Object> variables, Map<String, TemplateFunction> functions,
                  Map<String, JinjaRuntime.Macro> localMacros) {
    }
}
