package dev.sluice.error;

/**
 * A segment whose definition does not fit the model it selects from (a column that model does not have): the
 * whole command stops before anything runs, instead of the one node failing as other compile errors do, since an
 * audience built from a wrong definition would be sent to campaigns.
 */
public final class InvalidSegmentException extends CompilationException {
    public InvalidSegmentException(String message, SourceLocation location) {
        super(message, location);
    }
}
