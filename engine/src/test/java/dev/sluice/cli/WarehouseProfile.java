package dev.sluice.cli;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shop project with a profile whose one target is another warehouse (a plug-in's, or one these tests cannot
 * reach), and what a failure to reach it must look like. In the test-jar for the plug-ins' tests.
 */
final class WarehouseProfile {
    private WarehouseProfile() {
    }

    /** shop copied into tmp, its profiles.yml holding one target named {@code target} with these settings (YAML lines). */
    static CliHarness shop(Path tmp, String target, String settings) {
        CliHarness p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", "shop:\n  target: " + target + "\n  outputs:\n    " + target + ":\n" + settings.indent(6));
        return p;
    }

    /**
     * Runs `debug` and checks what a warehouse that cannot be reached gives: exit 2 within the connect timeouts,
     * one line starting "Database Error: " + expectedStart, no stack trace, and the secret nowhere.
     */
    static CliHarness.Result debugFailsInOneLine(CliHarness p, String expectedStart, String secret) {
        long start = System.nanoTime();
        CliHarness.Result r = p.run("debug");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(millis < 35_000, "debug took " + millis + " ms");
        String errorLine = r.err().strip();
        assertFalse(errorLine.contains("\n"), "one line: " + r.err());
        assertTrue(errorLine.startsWith("Database Error: " + expectedStart), r.err());
        assertFalse(r.all().contains(secret), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
        return r;
    }
}
