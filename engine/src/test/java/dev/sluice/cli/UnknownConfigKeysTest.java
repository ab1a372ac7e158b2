package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

/**
 * Config surfaces outside models: an operator's config: keys are checked against the keys its type reads, its
 * entry's keys against those the engine reads, and a profile output's keys against those its adapter reads. An
 * unknown key is a warning naming the file, line and key, with the likely fix; as in dbt, not an error.
 */
class UnknownConfigKeysTest extends ProjectTest {

    private static long occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1L;
    }

    private static final String EXPORTS = String.join("\n",
            "version: 2",
            "operators:",
            "  - name: customers_csv",
            "    type: export_file",
            "    sql: \"select customer_id from {{ ref('customers') }}\"",
            "    dependson: [orders]",
            "    config:",
            "      path: audiences/customers.csv",
            "      formt: parquet",
            "      hash_column: [customer_id]",
            "      tags: [exports]",
            "    outputs:",
            "      - name: customers_csv_state",
            "        descripton: kept between runs",
            "");

    @Test
    void unknownOperatorKeysAreWarningsAtTheirLine() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/marts/exports.yml", EXPORTS);
        p.write("dbt_project.yml", p.read("dbt_project.yml") + "\noperators:\n  shop:\n    +schedul: daily\n");
        String[] expected = {
            "models/marts/exports.yml:6: unknown key 'dependson' in operator 'customers_csv', ignored (did you mean 'depends_on'?)",
            "models/marts/exports.yml:9: unknown config 'formt' of operator 'customers_csv' (export_file), ignored (did you mean 'format'?)",
            "models/marts/exports.yml:10: unknown config 'hash_column' of operator 'customers_csv' (export_file), ignored (did you mean 'hash_columns'?)",
            "models/marts/exports.yml:14: unknown key 'descripton' in an output of operator 'customers_csv', ignored",
            "dbt_project.yml:33: unknown config 'schedul' of operator 'customers_csv' (export_file), ignored",
        };
        for (String command : new String[]{"parse", "compile"}) {
            CliHarness.Result r = p.run(command);
            assertEquals(0, r.exitCode(), r.all());
            for (String w : expected) assertEquals(1, occurrences(r.all(), w), command + ", once: " + w + "\n" + r.all());
            // Keys every operator takes, and those export_file reads, pass without a word.
            assertFalse(r.all().contains("'tags'") || r.all().contains("'path'"), r.all());
        }

        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result run = p.run("run", "--select", "+customers_csv");
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.all().contains(expected[1]), run.all());
        // The misspelt format was indeed not applied: the file is CSV, as its extension says.
        String written = Files.readString(p.dir.resolve("target/exports/audiences/customers.csv"));
        assertTrue(written.replace("\"", "").startsWith("customer_id"), written);
        long customers = ((Number) p.scalar("select count(*) from main.customers")).longValue();
        assertEquals(customers + 1, written.lines().count(), written);
    }

    @Test
    void unknownProfileKeysAreWarningsAtTheirLine() {
        CliHarness p = copy("shop");
        String profile = p.read("profiles.yml");
        p.write("profiles.yml", profile + "      extensions: [httpfs]\n      treads: 4\n");
        int lines = (int) profile.lines().count();
        CliHarness.Result r = p.run("parse");
        assertEquals(0, r.exitCode(), r.all());
        String type = warehouse().isDuckDb() ? "duckdb" : "postgres";
        String out = r.all();
        assertEquals(1, occurrences(out, "profiles.yml:" + (lines + 1) + ": unknown key 'extensions' in output 'dev' of profile "
                + "'shop' (" + type + "), ignored"), out);
        assertEquals(1, occurrences(out, "profiles.yml:" + (lines + 2) + ": unknown key 'treads' in output 'dev' of profile "
                + "'shop' (" + type + "), ignored (did you mean 'threads'?)"), out);
        assertFalse(out.contains("'schema'") || out.contains("'path'") || out.contains("'host'"), out);
    }
}
