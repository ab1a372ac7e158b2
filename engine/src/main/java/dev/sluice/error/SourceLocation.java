package dev.sluice.error;

import java.nio.file.Path;

/** A place in a user's file, for error messages. Line and column are 1-based; 0 means unknown. */
public record SourceLocation(Path file, int line, int column) {

    public static SourceLocation of(Path file) {
        return new SourceLocation(file, 0, 0);
    }

    public static SourceLocation of(Path file, int line) {
        return new SourceLocation(file, line, 0);
    }

    @Override
    public String toString() {
        String f = file == null ? "<unknown>" : file.toString();
        if (line <= 0) return f;
        return column > 0 ? f + ":" + line + ":" + column : f + ":" + line;
    }
}
