package dev.sluice.error;

/** Bad project file, schema YAML, profile, vars or command-line input. */
public class ConfigException extends EngineException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, SourceLocation location) {
        super(message, location);
    }

    public ConfigException(String message, SourceLocation location, Throwable cause) {
        super(message, location, cause);
    }

    @Override
    public String kind() {
        return "Configuration Error";
    }
}
