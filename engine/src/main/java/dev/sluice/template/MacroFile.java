package dev.sluice.template;

import java.nio.file.Path;

/** A file whose {% macro %} and {% test %} blocks are callable from every template. */
public record MacroFile(Path path, String source) {
}
