package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/engine's checks before it runs anything: an old or missing Java gets one line and exit 2. */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "bin", "engine").toAbsolutePath().normalize();

    @Test
    void javaOlderThan17IsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\necho 'openjdk version \"11.0.2\"' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(dir + ":/usr/bin:/bin", "--version");
        assertEquals(2, r.exit());
        assertEquals("engine: Java 11 found at " + java.toRealPath() + "; the engine needs Java 17 or newer", r.stderr().strip());
        assertEquals("", r.stdout());
    }

    @Test
    void missingJavaIsNamed(@TempDir Path dir) throws Exception {
        // A PATH with the shell tools the script needs but no java.
        for (String tool : new String[] {"bash", "dirname", "readlink", "cat", "sed", "find"}) {
            Path target = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Path wrapper = dir.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\nexec " + target + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Result r = run(dir.toString(), "--version");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().startsWith("engine: no 'java' on PATH"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count());
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(String path, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 2];
        command[0] = "/bin/bash";
        command[1] = SCRIPT.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("PATH", path);
        env.remove("JAVA_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }
}
