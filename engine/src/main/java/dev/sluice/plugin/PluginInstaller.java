package dev.sluice.plugin;

import dev.sluice.adapter.AdapterFactory;
import dev.sluice.error.PluginException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Installs a plugin into a plugins folder: downloaded from a Maven repository (Maven Central by default) and
 * checked against the checksum published beside it, or copied from a given file (checked against a given
 * SHA-256, or a checksum file beside it, when there is one). A plugin is a jar (plugins/TYPE.jar) or a zip of
 * jars unpacked into a folder (plugins/TYPE/, for Spark). Either way it must provide the adapter it is installed
 * for; it is written under a temporary name and moved into place, so a failed install leaves the previous plugin
 * as it was.
 */
public final class PluginInstaller {
    public static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2/");
    /** Strongest first: the first checksum the repository publishes is the one compared. */
    private static final List<String[]> CHECKSUMS = List.of(new String[]{"sha512", "SHA-512"},
            new String[]{"sha256", "SHA-256"}, new String[]{"sha1", "SHA-1"});
    private static final int TIMEOUT_MS = 60_000;

    private final Path folder;
    private final ClassLoader engine;

    public PluginInstaller(Path folder, ClassLoader engine) {
        this.folder = folder;
        this.engine = engine;
    }

    /** What was installed: the type, the jar written, and the checksum it was verified with (or computed). */
    public record Installed(String type, Path location, String algorithm, String digest, boolean verified, String source) {
    }

    /** Downloads the plugin of the engine's version from a Maven repository layout (http(s) or file URL). */
    public Installed fromRepository(String type, URI repository, String version) {
        String artifact = KnownPlugins.artifactOf(type).orElseThrow(() -> unknown(type));
        String base = repository.toString().endsWith("/") ? repository.toString() : repository + "/";
        String extension = KnownPlugins.extensionOf(type);
        URI jarUri = URI.create(base + KnownPlugins.repositoryPath(artifact, version, extension));
        if (version.endsWith("-SNAPSHOT") && MAVEN_CENTRAL.equals(repository)) {
            // The spark module predates the plugins folder and stayed at the top of the source tree.
            String module = type.equals("spark") ? "spark" : "plugins/" + type;
            throw new PluginException("this engine is a development build (" + version + ") whose plugins are not on "
                    + "Maven Central: install from a file with `engine plugins install " + type + " --file FILE` "
                    + "(" + module + "/target/" + artifact + "-" + version + "-plugin." + extension + " after `mvn package`)"
                    + " or from a repository with --repository URL");
        }
        Expected expected = null;
        for (String[] c : CHECKSUMS) {
            Optional<String> published = readText(URI.create(jarUri + "." + c[0]));
            if (published.isPresent()) {
                expected = new Expected(c[1], firstToken(published.get(), jarUri + "." + c[0]));
                break;
            }
        }
        if (expected == null) {
            // Look for the jar itself first, so that a wrong version or repository is named as such.
            if (readText(jarUri).isEmpty()) throw new PluginException("no plugin " + artifact + " " + version + " at " + jarUri);
            throw new PluginException("no checksum (.sha512, .sha256 or .sha1) is published beside " + jarUri
                    + "; the plugin was not installed");
        }
        Path tmp = temporary(type);
        try {
            String actual;
            try (InputStream in = open(jarUri).orElseThrow(() -> new PluginException("no plugin " + artifact + " " + version + " at " + jarUri))) {
                actual = copyDigesting(in, tmp, expected.algorithm());
            }
            return finish(type, tmp, expected, actual, jarUri.toString(), extension.equals("zip"));
        } catch (IOException e) {
            throw new PluginException("cannot download " + jarUri + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Copies a plugin jar: checked against {@code sha256} when given, else against a JAR.sha512, .sha256 or .sha1
     * file beside it when there is one (otherwise its SHA-256 is reported for the user to compare).
     */
    public Installed fromFile(String type, Path jar, Optional<String> sha256) {
        if (!Files.isRegularFile(jar)) throw new PluginException("no plugin jar at " + jar);
        Expected expected = sha256.map(s -> new Expected("SHA-256", s.strip().toLowerCase(Locale.ROOT))).orElse(null);
        if (expected == null) {
            for (String[] c : CHECKSUMS) {
                Path sum = jar.resolveSibling(jar.getFileName() + "." + c[0]);
                if (Files.isRegularFile(sum)) {
                    try {
                        expected = new Expected(c[1], firstToken(Files.readString(sum), sum.toString()));
                    } catch (IOException e) {
                        throw new PluginException("cannot read " + sum + ": " + e.getMessage(), e);
                    }
                    break;
                }
            }
        }
        Path tmp = temporary(type);
        try (InputStream in = Files.newInputStream(jar)) {
            String actual = copyDigesting(in, tmp, expected == null ? "SHA-256" : expected.algorithm());
            return finish(type, tmp, expected, actual, jar.toString(), jar.getFileName().toString().endsWith(".zip"));
        } catch (IOException e) {
            throw new PluginException("cannot copy " + jar + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private record Expected(String algorithm, String digest) {
    }

    private Installed finish(String type, Path tmp, Expected expected, String actual, String source, boolean archive) throws IOException {
        if (expected != null && !expected.digest().equals(actual)) {
            throw new PluginException(expected.algorithm() + " of " + source + " is " + actual + " but " + expected.digest()
                    + " was expected; the plugin was not installed");
        }
        Path jarTarget = folder.resolve(type + ".jar");
        Path dirTarget = folder.resolve(type);
        Path target;
        if (archive) {
            Path unpacked = Files.createTempDirectory(folder, "." + type);
            try {
                unpack(tmp, unpacked, source);
                checkProvides(type, unpacked, source);
                replaceFolder(unpacked, dirTarget);
            } finally {
                deleteTree(unpacked);
            }
            target = dirTarget;
            // Plugins.find looks at TYPE.jar first: a jar installed before would hide the new folder.
            Files.deleteIfExists(jarTarget);
        } else {
            checkProvides(type, tmp, source);
            Files.move(tmp, jarTarget, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            target = jarTarget;
            deleteTree(dirTarget);
        }
        return new Installed(type, target, expected == null ? "SHA-256" : expected.algorithm(), actual, expected != null, source);
    }

    private void checkProvides(String type, Path plugin, String source) throws IOException {
        List<String> types;
        // Closed before the move: an open jar cannot be moved on Windows.
        try (PluginClassLoader loader = PluginClassLoader.of(plugin, engine)) {
            types = ServiceLoader.load(AdapterFactory.class, loader).stream().map(p -> p.get().type()).toList();
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            throw new PluginException(source + " is not a plugin this engine can load: " + e.getMessage(), e);
        }
        if (!types.contains(type)) {
            throw new PluginException(source + " does not provide the '" + type + "' adapter"
                    + (types.isEmpty() ? " (it provides no adapter)" : " (it provides: " + String.join(", ", types) + ")"));
        }
    }

    /**
     * A plugin archive holds jars side by side and nothing else; any other entry (a folder, a path climbing out
     * with ..) refuses the archive before anything is written outside the temporary folder.
     */
    private static void unpack(Path zip, Path into, String source) throws IOException {
        int jars = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (e.isDirectory() || name.contains("/") || name.contains("\\") || !name.endsWith(".jar") || name.startsWith(".")) {
                    throw new PluginException(source + " holds '" + name + "'; a plugin archive holds only jars, side by side");
                }
                Files.copy(in, into.resolve(name));
                jars++;
            }
        } catch (java.util.zip.ZipException | java.nio.file.FileAlreadyExistsException e) {
            throw new PluginException(source + " is not a plugin archive (zip of jars): " + e.getMessage(), e);
        }
        if (jars == 0) throw new PluginException(source + " is not a plugin archive: it holds no jar");
    }

    /** The new folder is moved in before the old one is deleted, so some complete plugin is always in place. */
    private static void replaceFolder(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-old");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteTree(old);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    private Path temporary(String type) {
        try {
            Files.createDirectories(folder);
            return Files.createTempFile(folder, "." + type, ".jar.part");
        } catch (IOException e) {
            throw new PluginException("cannot write to the plugins folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String copyDigesting(InputStream in, Path to, String algorithm) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
        try (DigestInputStream din = new DigestInputStream(in, md); OutputStream out = Files.newOutputStream(to)) {
            din.transferTo(out);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Checksum files hold the hex digest, sometimes followed by the file name. */
    private static String firstToken(String content, String where) {
        String t = content.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9a-f]{40,128}")) throw new PluginException(where + " holds no hex checksum");
        return t;
    }

    /** The body of a URL, or empty when there is nothing there (HTTP 404, no such file). */
    private static Optional<String> readText(URI uri) {
        try {
            Optional<InputStream> in = open(uri);
            if (in.isEmpty()) return Optional.empty();
            try (InputStream s = in.get()) {
                return Optional.of(new String(s.readNBytes(4096), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new PluginException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    private static Optional<InputStream> open(URI uri) throws IOException {
        URLConnection c = uri.toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        if (c instanceof HttpURLConnection http) {
            int status = http.getResponseCode();
            if (status == HttpURLConnection.HTTP_NOT_FOUND) return Optional.empty();
            if (status >= 400) throw new IOException("HTTP " + status + " for " + uri);
        }
        try {
            return Optional.of(c.getInputStream());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private static PluginException unknown(String type) {
        return new PluginException("no plugin named '" + type + "'; the plugins are: " + String.join(", ", KnownPlugins.NAMES));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover .part file is ignored by the plugin search; nothing more to do.
        }
    }
}
