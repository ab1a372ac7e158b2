package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Warnings of plugin adapters and the Spark Connect endpoint (logged to the console-warnings logger, as
 * {@link WarningDuckDbFactory}'s sessions do) obey --warn-error and --warn-error-options like the engine's own:
 * made an error, the command stops with exit 2 and one line naming the warning, before any node runs.
 */
class AdapterWarningsTest {
    private static final String WARNING = "target 'dev': the warehouse refused the setting x=1";

    @TempDir
    Path tmp;
    CliHarness p;

    @BeforeEach
    void project() {
        p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", p.read("profiles.yml").replace("type: duckdb", "type: " + WarningDuckDbFactory.TYPE)
                .replace("path: warehouse.duckdb", "path: \"" + p.dir.resolve("warehouse.duckdb") + "\""));
    }

    @Test
    void aWarningStaysAWarningByDefault() {
        CliHarness.Result r = p.run("seed");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("[WARNING]: " + WARNING), r.out());
        assertTrue(r.out().contains("OK loaded"), r.out());
    }

    @Test
    void warnErrorStopsTheCommandBeforeAnyNodeAndNamesTheWarning() {
        CliHarness.Result r = p.run("seed", "--warn-error");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("Warning treated as error (AdapterWarning): " + WARNING), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.out().contains("[WARNING]: " + WARNING), "an error, not a warning as well: " + r.out());
        assertFalse(r.out().contains("OK loaded"), "no node ran: " + r.out());
    }

    @Test
    void warnErrorOptionsNameIt() {
        CliHarness.Result r = p.run("seed", "--warn-error-options", "{error: [AdapterWarning]}");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("Warning treated as error (AdapterWarning): " + WARNING), r.err());

        r = p.run("seed", "--warn-error-options", "{error: all, warn: [AdapterWarning]}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("[WARNING]: " + WARNING), r.out());

        r = p.run("seed", "--warn-error-options", "{error: all, silence: [AdapterWarning]}");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.all().contains(WARNING), r.all());
    }

    /** debug opens its session outside a run of nodes: the command still fails, at its end. */
    @Test
    void aCommandWithoutNodesFailsToo() {
        CliHarness.Result r = p.run("debug", "--warn-error");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("Warning treated as error (AdapterWarning): " + WARNING), r.err());
    }
}
