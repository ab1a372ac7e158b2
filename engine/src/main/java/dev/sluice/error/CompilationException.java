package dev.sluice.error;

/** A template that does not render, SQL that does not parse, an unknown ref, or a cycle. */
public class CompilationException extends EngineException {
    public CompilationException(String message, SourceLocation location) {
        super(message, location);
    }

    public CompilationException(String message, SourceLocation location, Throwable cause) {
        super(message, location, cause);
    }

    @Override
    public String kind() {
        return "Compilation Error";
    }
}
