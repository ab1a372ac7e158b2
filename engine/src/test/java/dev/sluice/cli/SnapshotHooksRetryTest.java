package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots (timestamp and check), hooks, retry. */
class SnapshotHooksRetryTest extends ProjectTest {

    private CliHarness withSnapshot(String config) {
        CliHarness p = copy("shop");
        p.write("seeds/raw_accounts.csv", "account_id,tier,updated_at\n1,bronze,2024-01-01\n2,silver,2024-01-01\n3,gold,2024-01-01\n");
        p.write("snapshots/accounts_snapshot.sql", """
                {%% snapshot accounts_snapshot %%}
                {{ config(target_schema='snapshots', unique_key='account_id', %s) }}
                select * from {{ ref('raw_accounts') }}
                {%% endsnapshot %%}
                """.formatted(config));
        return p;
    }

    @Test
    void timestampStrategyKeepsHistoryAndInvalidatesDeletes() {
        CliHarness p = withSnapshot("strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True");
        assertEquals(0, p.run("seed", "-s", "raw_accounts").exitCode());
        CliHarness.Result r = p.run("snapshot");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("OK snapshotted snapshot snapshots.accounts_snapshot"), r.out());
        assertEquals(3L, p.count("snapshots.accounts_snapshot"));

        // Account 1 upgrades, account 3 disappears, account 4 is new.
        p.write("seeds/raw_accounts.csv", "account_id,tier,updated_at\n1,silver,2024-02-01\n2,silver,2024-01-01\n4,bronze,2024-02-02\n");
        assertEquals(0, p.run("seed", "-s", "raw_accounts").exitCode());
        assertEquals(0, p.run("snapshot").exitCode());
        assertEquals("[{account_id=1, tier=bronze, open=false}, {account_id=1, tier=silver, open=true}, "
                        + "{account_id=2, tier=silver, open=true}, {account_id=3, tier=gold, open=false}, {account_id=4, tier=bronze, open=true}]",
                p.query("select account_id, tier, dbt_valid_to is null as open from snapshots.accounts_snapshot order by account_id, dbt_valid_from").toString());
        assertEquals("2024-02-01 00:00:00.0", p.scalar("select cast(dbt_valid_to as varchar) from snapshots.accounts_snapshot where account_id = 1 and tier = 'bronze'").toString().replace("2024-02-01 00:00:00", "2024-02-01 00:00:00.0").substring(0, 21));
        // Unchanged data: a second snapshot changes nothing.
        String before = p.query("select * from snapshots.accounts_snapshot order by dbt_scd_id").toString();
        assertEquals(0, p.run("snapshot").exitCode());
        assertEquals(before, p.query("select * from snapshots.accounts_snapshot order by dbt_scd_id").toString());
        // Snapshots run inside build too.
        r = p.run("build", "-s", "accounts_snapshot");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("snapshot snapshots.accounts_snapshot"), r.out());
    }

    @Test
    void checkStrategyDetectsColumnChanges() {
        CliHarness p = withSnapshot("strategy='check', check_cols=['tier']");
        assertEquals(0, p.run("seed", "-s", "raw_accounts").exitCode());
        assertEquals(0, p.run("snapshot").exitCode());
        // updated_at changes but tier does not for 2: only 1 is a new version.
        p.write("seeds/raw_accounts.csv", "account_id,tier,updated_at\n1,gold,2024-03-01\n2,silver,2024-03-01\n3,gold,2024-01-01\n");
        assertEquals(0, p.run("seed", "-s", "raw_accounts").exitCode());
        assertEquals(0, p.run("snapshot").exitCode());
        assertEquals(4L, p.count("snapshots.accounts_snapshot"));
        assertEquals(2L, ((Number) p.scalar("select count(*) from snapshots.accounts_snapshot where account_id = 1")).longValue());
        assertEquals(3L, ((Number) p.scalar("select count(*) from snapshots.accounts_snapshot where dbt_valid_to is null")).longValue());
    }

    @Test
    void hooksRunAroundModelsAndRun() {
        CliHarness p = copy("shop");
        p.write("dbt_project.yml", p.read("dbt_project.yml").replace("clean-targets:",
                "on-run-start:\n  - \"create table if not exists main.audit_log (seq integer, event varchar)\"\n"
                        + "  - \"{% if target.type == 'postgres' %}do $$ begin create role analyst; exception when duplicate_object then null; end $${% endif %}\"\n"
                        + "  - \"insert into main.audit_log select count(*) + 1, 'start {{ target.name }}' from main.audit_log\"\n"
                        + "on-run-end:\n  - \"insert into main.audit_log select count(*) + 1, 'end' from main.audit_log\"\n\nclean-targets:"));
        p.write("models/marts/customers.sql", "{{ config(pre_hook=\"insert into main.audit_log select count(*) + 1, 'pre {{ this.name }}' from main.audit_log\", "
                + "post_hook=[\"insert into main.audit_log select (select count(*) + 1 from main.audit_log), 'post ' || count(*) from {{ this }}\"], grants={'select': ['analyst']}) }}\n"
                + p.read("models/marts/customers.sql"));
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("[start dev, pre customers, post 6, end]",
                p.query("select event from main.audit_log order by seq").stream().map(m -> m.get("event").toString()).toList().toString());
        if (!warehouse().isDuckDb()) {
            assertEquals(true, p.scalar("select has_table_privilege('analyst', 'main.customers', 'select')"));
        }
    }

    @Test
    void retryRunsOnlyFailedAndSkipped() {
        CliHarness p = copy("shop");
        String good = p.read("models/marts/orders.sql");
        p.write("models/marts/orders.sql", "select order_id, missing_column from {{ ref('stg_orders') }}\n");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        p.write("models/marts/orders.sql", good);
        r = p.run("retry");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("OK created sql table model main.orders"), r.out());
        assertTrue(r.out().contains("OK created sql table model main.customers"), r.out());
        assertTrue(!r.out().contains("stg_customers"), "succeeded nodes are not rerun: " + r.out());
        assertEquals(6L, p.count("main.customers"));
        r = p.run("retry");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Nothing to retry"), r.out());
    }
}
