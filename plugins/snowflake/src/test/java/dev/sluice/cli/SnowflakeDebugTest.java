package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `debug` against Snowflake accounts that cannot be reached (no network here: the account's host name does
 * not resolve): one line naming the target and the failure, exit 2, quickly, and no secret anywhere.
 */
class SnowflakeDebugTest {
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
    void snowflakeWithUnreachableAccountFailsInOneLineWithoutSecrets() {
        CliHarness p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", """
                shop:
                  target: sf
                  outputs:
                    sf:
                      type: snowflake
                      account: xy12345
                      user: bob
                      password: "{{ env_var('SLUICE_TEST_NO_SUCH_VAR', 's3cr3t-value') }}"
                      role: transformer
                      database: analytics
                      warehouse: transforming
                      schema: dbt_bob
                      threads: 4
                      query_tag: sluice
                """);
        long start = System.nanoTime();
        CliHarness.Result r = p.run("debug");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertOneCleanLine(r, "cannot connect to snowflake account xy12345 as user bob: ", millis);
        assertTrue(r.out().contains("connection: snowflake account xy12345 as user bob (database analytics"), r.out());
    }

    @Test
    void snowflakeKeyPairProfileIsAcceptedAndPassphraseNeverShown() {
        CliHarness p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", """
                shop:
                  target: sf
                  outputs:
                    sf:
                      type: snowflake
                      account: xy12345.eu-central-1
                      user: bob
                      private_key_path: /nonexistent/rsa_key.p8
                      private_key_passphrase: "s3cr3t-value"
                      database: analytics
                      schema: dbt_bob
                """);
        long start = System.nanoTime();
        CliHarness.Result r = p.run("debug");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertOneCleanLine(r, "cannot connect to snowflake account xy12345.eu-central-1 as user bob: ", millis);
    }

    @Test
    void missingSettingsAreNamed() {
        CliHarness p = CliHarness.copyOf("shop", tmp);
        p.write("profiles.yml", """
                shop:
                  target: sf
                  outputs:
                    sf:
                      type: snowflake
                      account: xy12345
                      user: bob
                      database: analytics
                      schema: dbt_bob
                """);
        CliHarness.Result r = p.run("debug");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("needs password, private_key_path or authenticator"), r.err());
    }
}
