package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/engine's checks before it runs anything (an old or missing Java gets one line and exit 2) and its
 * class-data-sharing archive.
 */
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

    /**
     * The first successful command writes the archive (a failed one does not), prints only its own output, leaves
     * no temporary file, and a later start maps the archive: with -Xshare:on the JVM refuses to start otherwise.
     * The first compile and the first command that runs nodes add their classes to the archive; a new jar starts the archive over.
     * Run on a one-class stand-in for the engine's jar, which is built only after the tests.
     */
    @Test
    void firstSuccessfulCommandWritesAnArchiveThatLaterStartsMap(@TempDir Path dir) throws Exception {
        Path launcher = standIn(dir, """
                public class Stand {
                    public static void main(String[] args) {
                        System.out.println("stand " + String.join(" ", args));
                        System.exit(args[0].equals("fail") ? 2 : 0);
                    }
                }
                """);
        Path target = dir.resolve("engine/target");
        String path = System.getenv("PATH");
        Path archive = target.resolve("engine-cli.jsa");

        Result failed = run(launcher, path, Map.of(), "fail");
        assertEquals(2, failed.exit());
        assertEquals("stand fail\n", failed.stdout());
        assertTrue(Files.notExists(archive), "a failed command leaves no archive");

        Result first = run(launcher, path, Map.of(), "ls", "x");
        assertEquals(0, first.exit(), first.stderr());
        assertEquals("stand ls x\n", first.stdout());
        assertEquals("", first.stderr());
        assertTrue(Files.size(archive) > 0);
        try (var files = Files.list(target)) {
            assertEquals(java.util.Set.of("engine-cli.jar", "engine-cli.jsa", "engine-cli-other.classlist", ".java-checked"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }

        Result mapped = run(launcher, path, Map.of("ENGINE_JAVA_OPTS", "-Xmx8g -Xshare:on"), "ls", "y");
        assertEquals(0, mapped.exit(), mapped.stderr());
        assertEquals("stand ls y\n", mapped.stdout());

        // The first compile, then the first command that runs nodes, each map the archive and write it again with
        // their own classes added, once.
        firstOfItsKind(launcher, path, archive, "compile", "w");
        FileTime written = firstOfItsKind(launcher, path, archive, "run", "z");
        try (var files = Files.list(target)) {
            assertEquals(java.util.Set.of("engine-cli.jar", "engine-cli.jsa", "engine-cli-other.classlist",
                            "engine-cli-compile.classlist", "engine-cli-run.classlist", ".java-checked"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        for (String command : new String[] {"build", "ls", "compile"}) {
            Result later = run(launcher, path, Map.of("ENGINE_JAVA_OPTS", "-Xmx8g -Xshare:on"), command);
            assertEquals(0, later.exit(), later.stderr());
            assertEquals("stand " + command + "\n", later.stdout());
        }
        assertEquals(written, Files.getLastModifiedTime(archive), "an archive holding every kind is kept");

        // A new build of the jar makes every list stale: the next command starts over from its own classes.
        Thread.sleep(20);
        Files.setLastModifiedTime(target.resolve("engine-cli.jar"), FileTime.from(java.time.Instant.now()));
        Result rebuilt = run(launcher, path, Map.of(), "run", "again");
        assertEquals(0, rebuilt.exit(), rebuilt.stderr());
        try (var files = Files.list(target)) {
            assertEquals(java.util.Set.of("engine-cli.jar", "engine-cli.jsa", "engine-cli-run.classlist", ".java-checked"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    /**
     * A run of a project with no Java operator and no large seed gets C1 alone; a project declaring operators (in
     * any YAML file, an installed package's included) or a CSV over 5 MB, named by --project-dir, --project-dir= or
     * ENGINE_PROJECT_DIR, keeps the optimising compiler. The stand-in prints the JVM's TieredStopAtLevel.
     */
    @Test
    void runsKeepTheOptimisingCompilerOnlyForProjectsWithJavaOperators(@TempDir Path dir) throws Exception {
        Path launcher = vmOptionStandIn(dir, "vm.getVMOption(\"TieredStopAtLevel\").getValue()");
        String path = System.getenv("PATH");
        Map<String, String> noCds = Map.of("ENGINE_CDS", "0");
        Path plain = Files.createDirectories(dir.resolve("plain/models"));
        Files.writeString(plain.resolve("a.sql"), "select 1 as id\n");
        Files.writeString(plain.resolve("schema.yml"), "models:\n  - name: a\n");
        Path ops = Files.createDirectories(dir.resolve("ops/dbt_packages/gen/models"));
        Files.writeString(ops.resolve("_gen.yml"), "version: 2\noperators:\n  - name: customers\n");
        Path seeds = Files.createDirectories(dir.resolve("seeds/seeds"));
        Files.write(seeds.resolve("big.csv"), new byte[6 * 1024 * 1024]);

        assertEquals("1", run(launcher, path, noCds, "run", "--project-dir", dir.resolve("plain").toString()).stdout().strip());
        assertEquals("4", run(launcher, path, noCds, "build", "--project-dir", dir.resolve("ops").toString()).stdout().strip());
        assertEquals("4", run(launcher, path, noCds, "run", "--project-dir=" + dir.resolve("ops")).stdout().strip());
        assertEquals("4", run(launcher, path, Map.of("ENGINE_CDS", "0", "ENGINE_PROJECT_DIR", dir.resolve("seeds").toString()),
                "seed").stdout().strip());
        // The project's compiled output is not searched: a YAML file under target/ declares nothing.
        Path built = Files.createDirectories(dir.resolve("plain/target/compiled"));
        Files.writeString(built.resolve("copy.yml"), "operators:\n");
        assertEquals("1", run(launcher, path, Map.of("ENGINE_CDS", "0", "ENGINE_PROJECT_DIR", dir.resolve("plain").toString()),
                "test").stdout().strip());
    }

    /**
     * compile starts with a 3 GB heap and a 256 MB young generation (no full collections while the manifest
     * grows), unless the user's ENGINE_JAVA_OPTS choose the heap: a -Xmx below 3 GB there must not make the JVM
     * refuse to start. The stand-in prints the JVM's InitialHeapSize and NewSize in MB.
     */
    @Test
    void compileStartsWithALargerHeapUnlessTheUserSetsJavaOptions(@TempDir Path dir) throws Exception {
        Path launcher = vmOptionStandIn(dir, "(Long.parseLong(vm.getVMOption(\"InitialHeapSize\").getValue()) >> 20) + \" \" + "
                + "(Long.parseLong(vm.getVMOption(\"NewSize\").getValue()) >> 20)");
        String path = System.getenv("PATH");
        Path project = Files.createDirectories(dir.resolve("p"));
        Result compile = run(launcher, path, Map.of("ENGINE_CDS", "0"), "compile", "--project-dir", project.toString());
        assertEquals(0, compile.exit(), compile.stderr());
        assertEquals("3072 256", compile.stdout().strip());
        Result small = run(launcher, path, Map.of("ENGINE_CDS", "0", "ENGINE_JAVA_OPTS", "-Xmx256m"),
                "compile", "--project-dir", project.toString());
        assertEquals(0, small.exit(), small.stderr());
        assertTrue(Long.parseLong(small.stdout().strip().split(" ")[0]) <= 256, small.stdout());
    }

    /**
     * With the build's manifest-only engine-launcher.jar beside the engine's jar, bin/engine starts that one: its
     * Class-Path names the engine's jar, its Add-Opens are granted, and the archive is written for that class path,
     * so later starts map it (-Xshare:on refuses to start otherwise). The stand-in prints its class path and whether
     * java.base opened java.lang to it.
     */
    @Test
    void theManifestOnlyLauncherJarIsStartedWhenTheBuildWroteOne(@TempDir Path dir) throws Exception {
        Path launcher = standIn(dir, """
                public class Stand {
                    public static void main(String[] args) {
                        System.out.println(System.getProperty("java.class.path") + " "
                                + Object.class.getModule().isOpen("java.lang", Stand.class.getModule()));
                    }
                }
                """);
        Path target = dir.resolve("engine/target");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Stand");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "engine-cli.jar");
        manifest.getMainAttributes().putValue("Add-Opens", "java.base/java.lang");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(target.resolve("engine-launcher.jar")), manifest)) {
            jar.flush();
        }
        String path = System.getenv("PATH");
        Result first = run(launcher, path, Map.of(), "ls");
        assertEquals(0, first.exit(), first.stderr());
        assertEquals(target.resolve("engine-launcher.jar") + " true", first.stdout().strip());
        assertTrue(Files.size(target.resolve("engine-cli.jsa")) > 0);
        Result mapped = run(launcher, path, Map.of("ENGINE_JAVA_OPTS", "-Xmx8g -Xshare:on"), "ls");
        assertEquals(0, mapped.exit(), mapped.stderr());
        assertEquals(first.stdout(), mapped.stdout());

        // Without it, the engine's own jar, whose manifest opens nothing here.
        Files.delete(target.resolve("engine-launcher.jar"));
        Result plain = run(launcher, path, Map.of("ENGINE_CDS", "0"), "ls");
        assertEquals(0, plain.exit(), plain.stderr());
        assertEquals(target.resolve("engine-cli.jar") + " false", plain.stdout().strip());
    }

    /**
     * Commands that run nodes ask for transparent huge pages for the heap exactly when the kernel gives them on
     * request ("[madvise]"; this machine's kernel decides what is expected), unless ENGINE_JAVA_OPTS says
     * otherwise; and they start DuckDB's allocator without its timed return of memory unless the user set its
     * configuration. A compile asks for the huge pages only; other commands get neither. The
     * stand-in prints the JVM's flag and the variable.
     */
    @Test
    void runsAndCompilesAskForHugePagesAndRunsKeepDuckDbsFreedMemory(@TempDir Path dir) throws Exception {
        Path launcher = vmOptionStandIn(dir, "vm.getVMOption(\"UseTransparentHugePages\").getValue() + \" \" "
                + "+ System.getenv(\"DUCKDB_JE_MALLOC_CONF\")");
        String path = System.getenv("PATH");
        Path project = Files.createDirectories(dir.resolve("p"));
        String thp = Files.isReadable(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
                && Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).contains("[madvise]") ? "true" : "false";
        Result build = run(launcher, path, Map.of("ENGINE_CDS", "0"), "build", "--project-dir", project.toString());
        assertEquals(0, build.exit(), build.stderr());
        assertEquals(thp + " dirty_decay_ms:-1,muzzy_decay_ms:-1", build.stdout().strip());
        Result own = run(launcher, path, Map.of("ENGINE_CDS", "0", "ENGINE_JAVA_OPTS", "-Xmx1g -XX:-UseTransparentHugePages",
                "DUCKDB_JE_MALLOC_CONF", "narenas:1"), "run", "--project-dir", project.toString());
        assertEquals(0, own.exit(), own.stderr());
        assertEquals("false narenas:1", own.stdout().strip());
        Result compile = run(launcher, path, Map.of("ENGINE_CDS", "0"), "compile", "--project-dir", project.toString());
        assertEquals(0, compile.exit(), compile.stderr());
        assertEquals(thp + " null", compile.stdout().strip());
        Result ownCompile = run(launcher, path, Map.of("ENGINE_CDS", "0", "ENGINE_JAVA_OPTS", "-Xmx1g -XX:-UseTransparentHugePages"),
                "compile", "--project-dir", project.toString());
        assertEquals(0, ownCompile.exit(), ownCompile.stderr());
        assertEquals("false null", ownCompile.stdout().strip());
        Result ls = run(launcher, path, Map.of("ENGINE_CDS", "0"), "ls", "--project-dir", project.toString());
        assertEquals(0, ls.exit(), ls.stderr());
        assertEquals("false null", ls.stdout().strip());
    }

    /** A stand-in launcher whose Stand prints expression, evaluated with vm, the JVM's HotSpot diagnostic bean. */
    private static Path vmOptionStandIn(Path dir, String expression) throws IOException {
        return standIn(dir, """
                public class Stand {
                    public static void main(String[] args) {
                        var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
                                com.sun.management.HotSpotDiagnosticMXBean.class);
                        System.out.println(%s);
                    }
                }
                """.formatted(expression));
    }

    /** bin/engine copied into dir, over a jar of one class, Stand, compiled from the given source. */
    private static Path standIn(Path dir, String source) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(SCRIPT, bin.resolve("engine"));
        Path target = Files.createDirectories(dir.resolve("engine/target"));
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Stand.java"), source);
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", src.toString(), src.resolve("Stand.java").toString()));
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Stand");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(target.resolve("engine-cli.jar")), manifest)) {
            jar.putNextEntry(new java.util.jar.JarEntry("Stand.class"));
            jar.write(Files.readAllBytes(src.resolve("Stand.class")));
            jar.closeEntry();
        }
        return bin.resolve("engine");
    }

    /** The first command of its kind after a build maps the archive and writes it again, its classes added. */
    private static FileTime firstOfItsKind(Path launcher, String path, Path archive, String command, String arg)
            throws IOException, InterruptedException {
        FileTime before = Files.getLastModifiedTime(archive);
        Thread.sleep(20);
        Result first = run(launcher, path, Map.of("ENGINE_JAVA_OPTS", "-Xmx8g -Xshare:on"), command, arg);
        assertEquals(0, first.exit(), first.stderr());
        assertEquals("stand " + command + " " + arg + "\n", first.stdout());
        assertEquals("", first.stderr());
        FileTime after = Files.getLastModifiedTime(archive);
        assertTrue(after.compareTo(before) > 0, "the archive is written again for " + command);
        return after;
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(String path, String... args) throws IOException, InterruptedException {
        return run(SCRIPT, path, Map.of(), args);
    }

    private static Result run(Path script, String path, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        String[] command = new String[args.length + 2];
        command[0] = "/bin/bash";
        command[1] = script.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("PATH", path);
        env.remove("JAVA_HOME");
        env.remove("ENGINE_JAVA_OPTS");
        env.remove("ENGINE_CDS");
        env.remove("ENGINE_PROJECT_DIR");
        env.remove("DBT_PROJECT_DIR");
        env.putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }
}
