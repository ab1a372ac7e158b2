package dev.sluice.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The CLI in a JVM of its own, its output read as it comes. */
final class CliProcess {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Void> reader;
    private String awaited;
    private CountDownLatch seen;

    private CliProcess(Process process) {
        this.process = process;
        this.reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.append(line).append('\n');
                    synchronized (this) {
                        lines.add(line);
                        if (seen != null && line.contains(awaited)) seen.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                output.append(e);
            }
            synchronized (this) {
                if (seen != null) seen.countDown(); // the process ended: stop waiting
            }
        });
    }

    static CliProcess start(CliHarness p, String... args) throws java.io.IOException {
        return start(p, java.util.Map.of(), args);
    }

    /** As above, with extra environment variables. */
    static CliProcess start(CliHarness p, java.util.Map<String, String> env, String... args) throws java.io.IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.sluice.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--project-dir", p.dir.toString(), "--profiles-dir", p.dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new CliProcess(pb.start());
    }

    /** The CLI run to its end in a JVM of its own, with extra environment variables: its output; it must exit 0. */
    static String succeed(CliHarness p, java.util.Map<String, String> env, String... args) throws Exception {
        CliProcess c = start(p, env, args);
        int code = c.waitFor(120);
        if (code != 0) throw new AssertionError("exit " + code + ": " + c.output());
        return c.output();
    }

    /** Another main class of the test classpath in a JVM of its own. */
    static CliProcess startMain(String mainClass, String... args) throws java.io.IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    boolean awaitLine(String fragment, long seconds) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            if (lines.stream().anyMatch(l -> l.contains(fragment))) return true;
            awaited = fragment;
            seen = latch = new CountDownLatch(1);
        }
        latch.await(seconds, TimeUnit.SECONDS);
        synchronized (this) {
            return lines.stream().anyMatch(l -> l.contains(fragment));
        }
    }

    int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish in " + seconds + "s: " + output);
        }
        reader.get(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    /** Sends a signal by name (INT for Ctrl-C), as a terminal or an orchestrator would. */
    void signal(String name) throws Exception {
        requireHandled(name);
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + name + " failed");
    }

    /**
     * Fails when the process ignores the signal. A process started with a signal ignored keeps it ignored, and
     * the JVM then installs no handler: a test run started in the background of a script without job control
     * (`mvn test &`, nohup) ignores SIGINT all the way down, and the CLI would wait out its statement instead.
     */
    private void requireHandled(String name) throws java.io.IOException {
        int number = switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "TERM" -> 15;
            default -> 0;
        };
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        if (number == 0 || !java.nio.file.Files.isReadable(status)) return;
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (number - 1))) != 0) {
                // Else it outlives the test: it was waiting for this signal to stop.
                process.destroyForcibly();
                throw new AssertionError("the CLI's process ignores SIG" + name + ", inherited from the process that started "
                        + "the tests (a background job without job control, or nohup): run the tests in the foreground or "
                        + "with job control (set -m)");
            }
        }
    }
}
