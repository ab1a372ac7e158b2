package dev.sluice.error;

/** A warning that --warn-error or --warn-error-options made an error. */
public class WarningAsErrorException extends EngineException {
    private final String eventName;

    public WarningAsErrorException(String eventName, String message) {
        super(message);
        this.eventName = eventName;
    }

    public String eventName() {
        return eventName;
    }

    @Override
    public String kind() {
        return "Warning treated as error (" + eventName + ")";
    }
}
