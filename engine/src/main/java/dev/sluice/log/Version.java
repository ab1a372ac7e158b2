package dev.sluice.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The engine's version and the git commit it was built from (filled in by Maven; "unknown" when built
 * without git, e.g. from a source archive).
 */
public record Version(String version, String commit, boolean dirty) {

    public static Version current() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // A jar that cannot read its own resource still runs; it just cannot say its commit.
        }
        String v = resolved(p.getProperty("version"), "0.1.0");
        return new Version(v, resolved(p.getProperty("commit"), "unknown"), "true".equals(p.getProperty("dirty")));
    }

    private static String resolved(String value, String fallback) {
        return value == null || value.isBlank() || value.startsWith("${") ? fallback : value;
    }

    /** "engine 0.1.0-SNAPSHOT (commit 1a2b3c4)". */
    public String line() {
        return "engine " + version + " (commit " + commit + (dirty ? ", with uncommitted changes" : "") + ")";
    }
}
