package dev.sluice.ml;

import dev.sluice.error.EngineException;

/** Input an ML node cannot learn from: a non-numeric feature, a missing column, a single-class label... */
public class MlException extends EngineException {
    public MlException(String message) {
        super(message);
    }

    public MlException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String kind() {
        return "ML Error";
    }
}
