package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dbt-duckdb's {@code settings:} in a DuckDB output: options the database opens with (a memory limit and a spill
 * folder are what a large build needs). Checked from inside a model, which reads them back from DuckDB; a
 * misspelt option or a value DuckDB refuses stops the command with one line naming profiles.yml.
 */
class DuckDbSettingsTest extends ProjectTest {

    @BeforeEach
    void duckDbOnly() {
        Assumptions.assumeTrue(warehouse().isDuckDb(), "settings: is a DuckDB output key");
    }

    @Test
    void settingsReachTheDatabaseEveryModelRunsOn() {
        CliHarness p = copy("shop");
        String spill = tmp.resolve("spill").toString();
        p.write("profiles.yml", p.read("profiles.yml") + "      settings:\n        memory_limit: 1GB\n        threads: 1\n"
                + "        temp_directory: \"" + spill + "\"\n");
        p.write("models/settings_seen.sql", "{{ config(materialized='table') }}\n"
                + "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads,"
                + " current_setting('temp_directory') as spill");
        CliHarness.Result r = p.run("run", "-s", "settings_seen");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.all().contains("unknown key 'settings'"), r.all());
        // DuckDB reports 1GB in binary units (953.6 MiB); what matters is that it is not its default (80% of RAM).
        assertEquals("953.6 MiB", p.scalar("select memory_limit from main.settings_seen"));
        assertEquals(1L, ((Number) p.scalar("select threads from main.settings_seen")).longValue());
        assertEquals(spill, p.scalar("select spill from main.settings_seen"));
    }

    @Test
    void anOptionDuckDbDoesNotKnowIsOneLineNamingTheProfile() {
        CliHarness p = copy("shop");
        String profile = p.read("profiles.yml");
        p.write("profiles.yml", profile + "      settings:\n        memry_limit: 1GB\n");
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("profiles.yml:" + (profile.lines().count() + 1) + ": DuckDB refused the output's settings [memry_limit]"), r.err());
        assertTrue(r.err().contains("not recognized: memry_limit"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aValueDuckDbRefusesIsOneLineToo() {
        CliHarness p = copy("shop");
        p.write("profiles.yml", p.read("profiles.yml") + "      settings:\n        memory_limit: lots\n");
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("DuckDB refused the output's settings [memory_limit]"), r.err());
    }

    @Test
    void onlyTheSettingDuckDbRefusesIsNamed() {
        CliHarness p = copy("shop");
        p.write("profiles.yml", p.read("profiles.yml") + "      settings:\n        memory_limit: 1GB\n        threads: -1\n");
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("DuckDB refused the output's settings [threads]: "), r.err());
    }

    /** A database that cannot open for another reason is not blamed on the settings. */
    @Test
    void aDamagedDatabaseFileIsNotASettingsError() {
        CliHarness p = copy("shop");
        p.write("warehouse.duckdb", "not a DuckDB database\n".repeat(400));
        p.write("profiles.yml", p.read("profiles.yml") + "      settings:\n        threads: 1\n");
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("cannot open DuckDB database"), r.err());
        assertTrue(r.err().contains("not a valid DuckDB database file"), r.err());
        assertFalse(r.err().contains("refused the output's settings"), r.err());
    }

    @Test
    void settingsMustBeAMappingOfScalars() {
        CliHarness p = copy("shop");
        String profile = p.read("profiles.yml");
        int line = (int) profile.lines().count() + 2;
        p.write("profiles.yml", profile + "      settings:\n        memory_limit: [1GB, 2GB]\n");
        CliHarness.Result r = p.run("parse");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("profiles.yml:" + line + ":23: DuckDB setting 'memory_limit' of output 'dev' needs one value"), r.err());
    }
}
