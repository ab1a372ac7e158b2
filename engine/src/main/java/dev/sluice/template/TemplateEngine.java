package dev.sluice.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders dbt-style Jinja templates with Pebble. API contract (implementation in progress):
 * macros from the given files are callable from every template without an import; errors are
 * {@link dev.sluice.error.CompilationException}s naming the file and line.
 */
public final class TemplateEngine {

    public TemplateEngine(List<MacroFile> macroFiles) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Renders one template.
     *
     * @param file      the user's file, for error messages
     * @param source    the template text
     * @param variables context variables (this, target, model, ...)
     * @param functions per-render functions (ref, source, var, config, is_incremental, env_var, ...)
     */
    public String render(Path file, String source, Map<String, Object> variables,
                         Map<String, TemplateFunction> functions) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Names of generic tests available: built-ins plus every {% test name %} block. */
    public Set<String> genericTests() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The {% snapshot %} blocks of a file. */
    public static List<SnapshotBlock> snapshotBlocks(Path file, String source) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The {% docs name %} blocks of a markdown file: name to text. */
    public static Map<String, String> docsBlocks(Path file, String source) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
