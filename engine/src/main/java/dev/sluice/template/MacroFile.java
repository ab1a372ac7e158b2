package dev.sluice.template;

import java.nio.file.Path;

/**
 * A file whose {% macro %} and {% test %} blocks are callable from every template.
 *
 * @param packageName the package the macros belong to; null for the project itself
 */
public record MacroFile(Path path, String source, String packageName) {

    /** A macro file of the project itself. */
    public MacroFile(Path path, String source) {
        this(path, source, null);
    }
}
