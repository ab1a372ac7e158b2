package dev.sluice.error;

/** A plugin that cannot be installed or loaded: a missing or corrupt download, a wrong checksum, a jar that is no plugin. */
public final class PluginException extends ConfigException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String kind() {
        return "Plugin Error";
    }
}
