package dev.sluice.template;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a template evaluation needs beyond its own variables: which file it is (for error
 * locations), the render it belongs to (per-render functions and variables, which macros see too),
 * how deep in macro calls it is, and which package's macros an unqualified call finds first (the
 * package of the macro being evaluated, or of the node at the top). Passed through Pebble's context
 * rather than a ThreadLocal.
 */
record Frame(Path file, Render render, int depth, String pkg) {

    /** Context variable that carries the frame; the double underscore keeps it out of users' way. */
    static final String VARIABLE = "__sluice_frame";

    /**
     * One call of TemplateEngine.render.
     *
     * @param nodePackage package of the node being rendered (null: the root project)
     * @param trace       where reads and macro calls are recorded, or null
     */
    record Render(Map<String, Object> variables, Map<String, TemplateFunction> functions,
                  Map<String, JinjaRuntime.Macro> localMacros, String nodePackage, RenderTrace trace) {
    }
}
