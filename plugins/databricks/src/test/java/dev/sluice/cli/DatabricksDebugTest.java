package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `debug` against Databricks hosts that cannot be reached (no network here: the host name does not
 * resolve): one line naming the target and the failure, exit 2, quickly, and no secret anywhere.
 */
class DatabricksDebugTest {
    @TempDir
    Path tmp;

    private static void assertOneCleanLine(CliHarness.Result r, String expectedStart, long millis) {
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(millis < 35_000, "debug took " + millis + " ms");
        String errorLine = r.err().strip();
        assertFalse(errorLine.contains("\n"), "one line: " + r.err());
        assertTrue(errorLine.startsWith("Database Error: " + expectedStart), r.err());
        assertFalse(r.all().contains("s3cr3t-value"), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }

    @Test
    void databricksWithUnreachableHostFailsInOneLineWithoutToken() {
        CliHarness p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", """
                shop:
                  target: dbx
                  outputs:
                    dbx:
                      type: databricks
                      host: dbc-a1b2c3d4-e5f6.cloud.databricks.com
                      http_path: /sql/1.0/warehouses/abc123
                      token: "{{ env_var('SLUICE_TEST_NO_SUCH_VAR', 's3cr3t-value') }}"
                      catalog: main
                      schema: dbt_bob
                      threads: 4
                """);
        long start = System.nanoTime();
        CliHarness.Result r = p.run("debug");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertOneCleanLine(r, "cannot connect to databricks host dbc-a1b2c3d4-e5f6.cloud.databricks.com (http_path /sql/1.0/warehouses/abc123): ", millis);
    }
}
