package dev.sluice.adapter;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether DuckDB's native library can be found, asked before any DuckDB class is initialised: when it cannot,
 * DuckDB's loader prints a stack trace of its own before it fails, above the engine's one-line error. The places
 * are the loader's, in its order: inside the jar that holds DuckDB, on java.library.path, beside that jar.
 */
final class DuckDbLibrary {
    private DuckDbLibrary() {
    }

    /** A message naming the library and where it belongs, when none of the loader's places has it. */
    static Optional<String> missing() {
        Optional<String> name = fileName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (name.isEmpty()) return Optional.empty(); // a platform DuckDB does not ship for: its own error says so
        try {
            Class<?> loader = Class.forName("org.duckdb.DuckDBNative", false, DuckDbLibrary.class.getClassLoader());
            boolean inJar = loader.getResource("/" + name.get()) != null;
            List<Path> libraryPath = new ArrayList<>();
            for (String dir : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
                if (!dir.isBlank()) libraryPath.add(Path.of(dir));
            }
            Path jarDir = Path.of(loader.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().toRealPath();
            return missing(name.get(), inJar, libraryPath, System.mapLibraryName("duckdb_java"), jarDir);
        } catch (Exception | LinkageError cannotTell) {
            return Optional.empty(); // no verdict: leave it to the loader and its error
        }
    }

    static Optional<String> missing(String name, boolean inJar, List<Path> libraryPath, String systemName, Path jarDir) {
        if (inJar || Files.exists(jarDir.resolve(name))) return Optional.empty();
        for (Path dir : libraryPath) {
            if (Files.exists(dir.resolve(systemName))) return Optional.empty();
        }
        return Optional.of("DuckDB's native library " + name + " is not beside the engine's jar in " + jarDir
                + " (nor " + systemName + " on java.library.path): copy it there from the release archive or engine/target");
    }

    /** The loader's file name for this platform (libduckdb_java.so_linux_amd64 ...), empty for one it does not know. */
    static Optional<String> fileName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT).trim();
        String arch = osArch.toLowerCase(Locale.ROOT).trim();
        String o = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : null;
        String a = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
        if (o == null) return Optional.empty();
        if (o.equals("osx")) return Optional.of("libduckdb_java.so_osx_universal");
        return a == null ? Optional.empty() : Optional.of("libduckdb_java.so_" + o + "_" + a);
    }
}
