package dev.sluice.error;

/** Another run holds the target's run lock: nothing was done. */
public class RunLockedException extends EngineException {
    public RunLockedException(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "Run Lock";
    }
}
