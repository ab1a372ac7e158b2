package dev.sluice.adapter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where DuckDB's loader finds its native library, looked at before it is asked to (and prints a stack trace). */
class DuckDbLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void theLoadersFileNamePerPlatform() {
        assertEquals(Optional.of("libduckdb_java.so_linux_amd64"), DuckDbLibrary.fileName("Linux", "amd64"));
        assertEquals(Optional.of("libduckdb_java.so_linux_amd64"), DuckDbLibrary.fileName("Linux", "x86_64"));
        assertEquals(Optional.of("libduckdb_java.so_linux_arm64"), DuckDbLibrary.fileName("Linux", "aarch64"));
        assertEquals(Optional.of("libduckdb_java.so_osx_universal"), DuckDbLibrary.fileName("Mac OS X", "aarch64"));
        assertEquals(Optional.of("libduckdb_java.so_windows_amd64"), DuckDbLibrary.fileName("Windows 11", "amd64"));
        // A platform DuckDB does not ship for: no verdict, its own loader says what is unsupported.
        assertEquals(Optional.empty(), DuckDbLibrary.fileName("Linux", "s390x"));
        assertEquals(Optional.empty(), DuckDbLibrary.fileName("FreeBSD", "amd64"));
    }

    @Test
    void foundInTheJarBesideItOrOnTheLibraryPath() throws Exception {
        String name = "libduckdb_java.so_linux_amd64";
        Path jarDir = Files.createDirectories(tmp.resolve("lib"));
        Path libs = Files.createDirectories(tmp.resolve("jni"));
        Optional<String> none = DuckDbLibrary.missing(name, false, List.of(libs), "libduckdb_java.so", jarDir);
        assertTrue(none.isPresent() && none.get().contains(name) && none.get().contains(jarDir.toString()), none.toString());
        assertEquals(Optional.empty(), DuckDbLibrary.missing(name, true, List.of(libs), "libduckdb_java.so", jarDir));
        Files.writeString(libs.resolve("libduckdb_java.so"), "");
        assertEquals(Optional.empty(), DuckDbLibrary.missing(name, false, List.of(libs), "libduckdb_java.so", jarDir));
        Files.delete(libs.resolve("libduckdb_java.so"));
        Files.writeString(jarDir.resolve(name), "");
        assertEquals(Optional.empty(), DuckDbLibrary.missing(name, false, List.of(libs), "libduckdb_java.so", jarDir));
    }

    /** The tests' own class path has the library inside DuckDB's jar: no verdict of missing. */
    @Test
    void theTestsOwnDuckDbIsFound() {
        assertEquals(Optional.empty(), DuckDbLibrary.missing());
    }
}
