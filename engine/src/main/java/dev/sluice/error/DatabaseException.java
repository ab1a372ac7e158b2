package dev.sluice.error;

/** The warehouse refused a statement or a connection. */
public class DatabaseException extends EngineException {
    public DatabaseException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String kind() {
        return "Database Error";
    }
}
