package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * `debug` against Databricks hosts that cannot be reached (no network here: the host name does not
 * resolve): one line naming the target and the failure, exit 2, quickly, and no secret anywhere.
 */
class DatabricksDebugTest {
    @TempDir
    Path tmp;

    @Test
    void databricksWithUnreachableHostFailsInOneLineWithoutToken() {
        CliHarness p = WarehouseProfile.shop(tmp, "dbx", """
                type: databricks
                host: dbc-a1b2c3d4-e5f6.cloud.databricks.com
                http_path: /sql/1.0/warehouses/abc123
                token: "{{ env_var('SLUICE_TEST_NO_SUCH_VAR', 's3cr3t-value') }}"
                catalog: main
                schema: dbt_bob
                threads: 4
                """);
        WarehouseProfile.debugFailsInOneLine(p, "cannot connect to databricks host dbc-a1b2c3d4-e5f6.cloud.databricks.com "
                + "(http_path /sql/1.0/warehouses/abc123): ", "s3cr3t-value");
    }
}
