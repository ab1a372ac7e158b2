package dev.sluice.cli;

import dev.sluice.log.Version;
import dev.sluice.plugin.PluginClassLoader;
import dev.sluice.plugin.Plugins;
import example.plugin.FakeSnowflakeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warehouse plugins: a profile whose adapter is not installed, `engine plugins install` from a jar and from a
 * Maven repository layout with checksum verification, and loading an installed plugin from its folder.
 */
class PluginsTest {
    @TempDir
    Path tmp;

    /** A plugin jar serving type 'snowflake' (FakeSnowflakeFactory and its service file). */
    private Path fakePlugin(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        String cls = FakeSnowflakeFactory.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream in = FakeSnowflakeFactory.class.getClassLoader().getResourceAsStream(cls)) {
            out.putNextEntry(new JarEntry(cls));
            in.transferTo(out);
            out.putNextEntry(new JarEntry("META-INF/services/dev.sluice.adapter.AdapterFactory"));
            out.write((FakeSnowflakeFactory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** The CLI without a project; its log goes to the temporary folder, not the working directory. */
    private CliHarness.Result cli(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--log-path", tmp.resolve("logs").toString())).toArray(String[]::new);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code;
        try (java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
             java.io.PrintStream e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(all, o, e);
        }
        return new CliHarness.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String digest(String algorithm, Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    @Test
    void aProfileWhosePluginIsMissingNamesTheInstallCommand() {
        CliHarness p = WarehouseProfile.shop(tmp, "sf", """
                type: snowflake
                account: xy12345
                user: bob
                password: pw
                database: analytics
                schema: dbt_bob
                """);
        CliHarness.Result r = p.run("build");
        assertEquals(2, r.exitCode(), r.all());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains("`engine plugins install snowflake`"), err);
        assertFalse(r.all().contains("\tat "), r.all());
    }

    @Test
    void installsAJarAndTheEngineLoadsItFromThePluginsFolder() throws Exception {
        Path jar = fakePlugin(tmp.resolve("build/fake-snowflake.jar"));
        Path dir = tmp.resolve("plugins");
        CliHarness.Result r = cli("plugins", "install", "snowflake", "--file", jar.toString(),
                "--sha256", digest("SHA-256", jar), "--plugin-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("SHA-256 " + digest("SHA-256", jar) + " (verified)"), r.out());
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dir.resolve("snowflake.jar")));

        Plugins.Found found = new Plugins(List.of(dir), getClass().getClassLoader()).find("snowflake").orElseThrow();
        assertEquals(dir.resolve("snowflake.jar").toString(), found.origin());
        // Defined by the plugin's own loader, not the engine's (where the class also is, without a service file).
        assertInstanceOf(PluginClassLoader.class, found.factory().getClass().getClassLoader());
        assertTrue(new Plugins(List.of(tmp.resolve("elsewhere")), getClass().getClassLoader()).find("snowflake").isEmpty());
    }

    @Test
    void aWrongChecksumInstallsNothingAndKeepsThePreviousPlugin() throws Exception {
        Path jar = fakePlugin(tmp.resolve("build/fake-snowflake.jar"));
        Path dir = tmp.resolve("plugins");
        assertEquals(0, cli("plugins", "install", "snowflake", "--file", jar.toString(), "--plugin-dir", dir.toString()).exitCode());
        byte[] before = Files.readAllBytes(dir.resolve("snowflake.jar"));
        Path other = fakePlugin(tmp.resolve("build2/other.jar"));
        try (OutputStream out = Files.newOutputStream(other, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(0); // a trailing byte: still a jar, another checksum
        }
        String wrong = "0".repeat(64);
        CliHarness.Result r = cli("plugins", "install", "snowflake", "--file", other.toString(), "--sha256", wrong,
                "--plugin-dir", dir.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("SHA-256 of " + other + " is " + digest("SHA-256", other) + " but " + wrong + " was expected"), r.err());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("snowflake.jar")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("snowflake.jar"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void downloadsFromAMavenRepositoryCheckingThePublishedChecksum() throws Exception {
        String version = Version.current().version();
        Path repo = tmp.resolve("repo");
        Path jar = fakePlugin(repo.resolve("dev/sluice/sluice-snowflake/" + version + "/sluice-snowflake-" + version + "-plugin.jar"));
        Files.writeString(Path.of(jar + ".sha1"), digest("SHA-1", jar) + "  sluice-snowflake-" + version + "-plugin.jar\n");
        Path dir = tmp.resolve("plugins");
        CliHarness.Result r = cli("plugins", "install", "snowflake", "--repository", repo.toUri().toString(),
                "--plugin-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("SHA-1 " + digest("SHA-1", jar) + " (verified)"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("snowflake.jar")));

        // A stronger checksum is preferred, and a wrong one refuses the download.
        Files.writeString(Path.of(jar + ".sha512"), "ab".repeat(64) + "\n");
        Path dir2 = tmp.resolve("plugins2");
        r = cli("plugins", "install", "snowflake", "--repository", repo.toUri().toString(), "--plugin-dir", dir2.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("SHA-512 of " + repo.toUri()), r.err());
        assertFalse(Files.exists(dir2.resolve("snowflake.jar")));

        // Nothing published for another type: one line naming what was looked for.
        r = cli("plugins", "install", "databricks", "--repository", repo.toUri().toString(), "--plugin-dir", dir2.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("no plugin sluice-databricks " + version + " at "), r.err());
    }

    @Test
    void aJarThatServesAnotherTypeIsRefused() throws Exception {
        Path jar = fakePlugin(tmp.resolve("build/fake-snowflake.jar"));
        CliHarness.Result r = cli("plugins", "install", "databricks", "--file", jar.toString(),
                "--plugin-dir", tmp.resolve("plugins").toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("does not provide the 'databricks' adapter (it provides: snowflake)"), r.err());
        r = cli("plugins", "install", "oracle", "--file", jar.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("no plugin named 'oracle'; the plugins are: snowflake, databricks, spark"), r.err());
    }

    /** A zip holding the given entries, each a copy of {@code content}. */
    private static Path zip(Path zip, Path content, String... names) throws IOException {
        Files.createDirectories(zip.getParent());
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String n : names) {
                out.putNextEntry(new java.util.zip.ZipEntry(n));
                Files.copy(content, out);
            }
        }
        return zip;
    }

    /** Spark's plugin is a zip of jars: unpacked into plugins/TYPE/, loaded from there, replaced whole. */
    @Test
    void installsAZipOfJarsIntoAFolderAndReplacesItWhole() throws Exception {
        Path jar = fakePlugin(tmp.resolve("build/fake-snowflake.jar"));
        Path other = tmp.resolve("build/other.jar");
        Files.copy(jar, other);
        Path dir = tmp.resolve("plugins");
        Path first = zip(tmp.resolve("dist/first.zip"), jar, "adapter.jar", "driver.jar");
        CliHarness.Result r = cli("plugins", "install", "snowflake", "--file", first.toString(),
                "--sha256", digest("SHA-256", first), "--plugin-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Installed plugin snowflake into " + dir.resolve("snowflake")), r.out());
        assertTrue(r.out().contains("(verified)"), r.out());
        try (var files = Files.list(dir.resolve("snowflake"))) {
            assertEquals(List.of("adapter.jar", "driver.jar"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        Plugins.Found found = new Plugins(List.of(dir), getClass().getClassLoader()).find("snowflake").orElseThrow();
        assertEquals(dir.resolve("snowflake").toString(), found.origin());
        assertInstanceOf(PluginClassLoader.class, found.factory().getClass().getClassLoader());

        // A second archive replaces the folder: nothing of the first is left, no temporary folder either.
        Path second = zip(tmp.resolve("dist/second.zip"), jar, "only.jar");
        assertEquals(0, cli("plugins", "install", "snowflake", "--file", second.toString(), "--plugin-dir", dir.toString()).exitCode());
        try (var files = Files.list(dir.resolve("snowflake"))) {
            assertEquals(List.of("only.jar"), files.map(f -> f.getFileName().toString()).toList());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("snowflake"), files.map(f -> f.getFileName().toString()).toList());
        }

        // An entry outside the folder, or not a jar, refuses the archive and keeps the installed plugin.
        for (String bad : List.of("../escape.jar", "lib/nested.jar", "notes.txt")) {
            Path z = zip(tmp.resolve("dist/bad.zip"), jar, "adapter.jar", bad);
            r = cli("plugins", "install", "snowflake", "--file", z.toString(), "--plugin-dir", dir.toString());
            assertEquals(2, r.exitCode(), r.all());
            assertTrue(r.err().contains("holds '" + bad + "'; a plugin archive holds only jars, side by side"), r.err());
            assertFalse(Files.exists(tmp.resolve("escape.jar")));
            try (var files = Files.list(dir)) {
                assertEquals(List.of("snowflake"), files.map(f -> f.getFileName().toString()).toList());
            }
            try (var files = Files.list(dir.resolve("snowflake"))) {
                assertEquals(List.of("only.jar"), files.map(f -> f.getFileName().toString()).toList());
            }
        }

        // Back to a single jar: the folder goes, so that it cannot shadow or outlive the jar.
        assertEquals(0, cli("plugins", "install", "snowflake", "--file", other.toString(), "--plugin-dir", dir.toString()).exitCode());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("snowflake.jar"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void sparkIsDownloadedAsAZipFromARepository() throws Exception {
        String version = Version.current().version();
        Path repo = tmp.resolve("repo");
        Path jar = fakePlugin(tmp.resolve("build/fake-snowflake.jar"));
        Path z = zip(repo.resolve("dev/sluice/sluice-spark/" + version + "/sluice-spark-" + version + "-plugin.zip"), jar, "a.jar");
        Files.writeString(Path.of(z + ".sha1"), digest("SHA-1", z) + "\n");
        // The archive is fetched and verified; the fake serves snowflake, so it is refused by type, not by download.
        CliHarness.Result r = cli("plugins", "install", "spark", "--repository", repo.toUri().toString(),
                "--plugin-dir", tmp.resolve("plugins").toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(z.toUri() + " does not provide the 'spark' adapter (it provides: snowflake)"), r.err());
        try (var files = Files.list(tmp.resolve("plugins"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void listShowsBuiltInsAndWhatIsMissing() {
        CliHarness.Result r = cli("plugins", "list");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("duckdb       built in"), r.out());
        assertTrue(r.out().contains("snowflake    not installed (engine plugins install snowflake)")
                || r.out().contains("snowflake    installed: "), r.out());
    }
}
