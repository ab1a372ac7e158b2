package dev.sluice.error;

/**
 * A failure inside the engine while working on one node or file (a library error, a stack too small for the
 * input): reported as one line naming where it happened; the stack trace goes to the log only.
 */
public class InternalException extends EngineException {
    public InternalException(String message, SourceLocation location, Throwable cause) {
        super(message, location, cause);
    }

    /** Wraps anything that is not already a user-facing error, naming what was being worked on. */
    public static EngineException of(Throwable t, String what, SourceLocation location) {
        if (t instanceof EngineException ee) return ee;
        String detail = t instanceof StackOverflowError ? "it nests too deeply to process"
                : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
        return new InternalException("internal error while processing " + what + ": " + detail
                + " (details in logs/engine.log)", location, t);
    }

    @Override
    public String kind() {
        return "Internal Error";
    }
}
