package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `debug` against Snowflake accounts that cannot be reached (no network here: the account's host name does
 * not resolve): one line naming the target and the failure, exit 2, quickly, and no secret anywhere.
 */
class SnowflakeDebugTest {
    @TempDir
    Path tmp;

    @Test
    void snowflakeWithUnreachableAccountFailsInOneLineWithoutSecrets() {
        CliHarness p = WarehouseProfile.shop(tmp, "sf", """
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
        CliHarness.Result r = WarehouseProfile.debugFailsInOneLine(p, "cannot connect to snowflake account xy12345 as user bob: ", "s3cr3t-value");
        assertTrue(r.out().contains("connection: snowflake account xy12345 as user bob (database analytics"), r.out());
    }

    @Test
    void snowflakeKeyPairProfileIsAcceptedAndPassphraseNeverShown() {
        CliHarness p = WarehouseProfile.shop(tmp, "sf", """
                type: snowflake
                account: xy12345.eu-central-1
                user: bob
                private_key_path: /nonexistent/rsa_key.p8
                private_key_passphrase: "s3cr3t-value"
                database: analytics
                schema: dbt_bob
                """);
        WarehouseProfile.debugFailsInOneLine(p, "cannot connect to snowflake account xy12345.eu-central-1 as user bob: ", "s3cr3t-value");
    }

    @Test
    void missingSettingsAreNamed() {
        CliHarness p = WarehouseProfile.shop(tmp, "sf", """
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
