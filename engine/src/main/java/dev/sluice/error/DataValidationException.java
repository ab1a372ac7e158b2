package dev.sluice.error;

/** Input data failed a validation that must hold before anything is built from it (a missing table or column). */
public class DataValidationException extends EngineException {
    public DataValidationException(String message, SourceLocation location) {
        super(message, location);
    }

    @Override
    public String kind() {
        return "Data Validation Error";
    }

    /** A data failure, like a failing model or test, not bad configuration. */
    @Override
    public int exitCode() {
        return 1;
    }
}
