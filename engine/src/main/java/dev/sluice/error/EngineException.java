package dev.sluice.error;

import java.util.Optional;

/**
 * Base of every error the engine reports to a user. The CLI turns one of these into a single line
 * (location first, then the message) and an exit code, never a stack trace.
 */
public class EngineException extends RuntimeException {
    private final SourceLocation location;

    public EngineException(String message) {
        this(message, null, null);
    }

    public EngineException(String message, SourceLocation location) {
        this(message, location, null);
    }

    public EngineException(String message, SourceLocation location, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    public Optional<SourceLocation> location() {
        return Optional.ofNullable(location);
    }

    /** A short label for the kind of error, as dbt prints it ("Compilation Error", ...). */
    public String kind() {
        return "Error";
    }

    /** Exit code for the CLI: 2 means bad configuration or input. */
    public int exitCode() {
        return 2;
    }

    /** This error with secrets masked in its message; the kind, location and exit code stay. */
    public EngineException masked(java.util.function.UnaryOperator<String> mask) {
        String message = getMessage() == null ? null : mask.apply(getMessage());
        if (java.util.Objects.equals(message, getMessage())) return this;
        EngineException original = this;
        EngineException copy = new EngineException(message, location, getCause()) {
            @Override
            public String kind() {
                return original.kind();
            }

            @Override
            public int exitCode() {
                return original.exitCode();
            }
        };
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** The one message a user sees. */
    public String userMessage() {
        return location == null ? kind() + ": " + getMessage() : kind() + " in " + location + ": " + getMessage();
    }
}
