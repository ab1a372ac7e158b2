package dev.sluice.plugin;

import java.util.List;
import java.util.Optional;

/** The warehouse plugins published with the engine: the type each serves and its Maven artifact. */
public final class KnownPlugins {
    /** The group every plugin is published under, the engine's own. */
    public static final String GROUP = "dev.sluice";
    /** The classifier of a plugin's self-contained jar (adapter and driver, without the engine). */
    public static final String CLASSIFIER = "plugin";
    /** The types served by plugin jars; each is published as sluice-TYPE. */
    public static final List<String> NAMES = List.of("snowflake", "databricks");
    /**
     * Local Spark is used from the class path only: its hundreds of jars load classes through the thread's
     * context class loader, which a plugin's own loader does not serve.
     */
    public static final String SPARK = "spark";
    public static final String SPARK_HOW = "put the sluice-spark module (spark/) and its dependencies on the class path";

    private KnownPlugins() {
    }

    public static Optional<String> artifactOf(String type) {
        return NAMES.contains(type) ? Optional.of("sluice-" + type) : Optional.empty();
    }

    /** The jar's path in a Maven repository: dev/sluice/sluice-snowflake/0.1.0/sluice-snowflake-0.1.0-plugin.jar. */
    public static String repositoryPath(String artifact, String version) {
        return GROUP.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + "-" + CLASSIFIER + ".jar";
    }
}
