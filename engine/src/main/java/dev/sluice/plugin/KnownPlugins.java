package dev.sluice.plugin;

import java.util.List;
import java.util.Optional;

/** The warehouse plugins published with the engine: the type each serves and its Maven artifact. */
public final class KnownPlugins {
    /** The group every plugin is published under, the engine's own. */
    public static final String GROUP = "dev.sluice";
    /** The classifier of a plugin's self-contained artifact (adapter and driver, without the engine). */
    public static final String CLASSIFIER = "plugin";
    /** The types served by plugins; each is published as sluice-TYPE. */
    public static final List<String> NAMES = List.of("snowflake", "databricks", "spark");
    /**
     * Spark is published as a zip of jars, unpacked into a plugin folder: Hive's metastore (DataNucleus) finds
     * its parts by each jar's plugin.xml, which one merged jar cannot keep apart.
     */
    private static final List<String> ARCHIVES = List.of("spark");

    private KnownPlugins() {
    }

    public static Optional<String> artifactOf(String type) {
        return NAMES.contains(type) ? Optional.of("sluice-" + type) : Optional.empty();
    }

    /** "zip" for a plugin published as an archive of jars, else "jar". */
    public static String extensionOf(String type) {
        return ARCHIVES.contains(type) ? "zip" : "jar";
    }

    /** The artifact's path in a Maven repository: dev/sluice/sluice-snowflake/0.1.0/sluice-snowflake-0.1.0-plugin.jar. */
    public static String repositoryPath(String artifact, String version, String extension) {
        return GROUP.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + "-" + CLASSIFIER + "." + extension;
    }
}
