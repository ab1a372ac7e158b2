package dev.sluice.error;

/** A macro run by run-operation raised an error or a statement of it failed: a failed run, not bad input. */
public class OperationException extends EngineException {
    public OperationException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String kind() {
        return "Runtime Error";
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
