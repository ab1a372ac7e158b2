package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's jar copied somewhere without DuckDB's native library: the command says so in one line and exits 2,
 * without the stack trace DuckDB's loader prints when it looks for the library and fails.
 */
class DuckDbLibraryMissingTest extends ProjectTest {
    @Test
    void aMissingNativeLibraryIsOneLineAndExit2() throws Exception {
        CliHarness p = copy("shop");
        // The class path of the tests, with DuckDB's jar replaced by a copy that holds no native library.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        Path stripped = null;
        for (String e : cp.split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith("duckdb_jdbc")) {
                stripped = Files.createDirectories(p.dir.resolve("nolib")).resolve("duckdb_jdbc.jar");
                withoutNativeLibraries(Path.of(e), stripped);
                e = stripped.toString();
            }
            entries.add(e);
        }
        assertTrue(stripped != null, "DuckDB's jar is on the class path: " + cp);
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, entries), "dev.sluice.cli.Main", "seed", "--project-dir", p.dir.toString(),
                "--profiles-dir", p.dir.toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, run.exitValue(), out);
        List<String> errors = out.lines().filter(l -> l.contains("Error") || l.contains("Exception") || l.startsWith("\tat ")).toList();
        assertEquals(1, errors.size(), out);
        assertTrue(errors.get(0).contains("DuckDB's native library libduckdb_java.so_") && errors.get(0).contains("is not beside the engine's jar in "
                + stripped.getParent().toRealPath()), out);
        assertFalse(out.contains("UnsatisfiedLinkError"), out);
        assertFalse(Files.exists(p.dir.resolve("warehouse.duckdb")), "no database file was made");
    }

    private static void withoutNativeLibraries(Path from, Path to) throws Exception {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getName().startsWith("libduckdb_java.so_")) continue;
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    is.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
