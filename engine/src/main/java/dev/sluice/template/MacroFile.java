package dev.sluice.template;

import java.nio.file.Path;

/**
 * A file whose {% macro %} and {% test %} blocks are callable from every template.
 *
 * @param packageName the dbt package the file belongs to; null for the project being run (the root package)
 */
public record MacroFile(Path path, String source, String packageName) {

    public MacroFile(Path path, String source) {
        this(path, source, null);
    }
}
