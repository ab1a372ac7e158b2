package dev.sluice.activation;

import dev.sluice.error.EngineException;

/** An export that could not be delivered: the destination refused it or could not be reached. */
public class ExportException extends EngineException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String kind() {
        return "Export Error";
    }
}
