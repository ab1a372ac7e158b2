package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Command lines a user gets wrong: typos in flags, flags in the wrong place, unknown values. Each must stop
 * with exit 2 and one line saying what was wrong, before anything is built.
 */
class MistakenCommandLineTest extends ProjectTest {

    /** Arguments, and a word the one-line message must contain. */
    private record Mistake(List<String> args, String says) {
    }

    private static Mistake m(String says, String... args) {
        return new Mistake(List.of(args), says);
    }

    private static final List<Mistake> MISTAKES = List.of(
            m("did you mean --empty", "build", "-s", "customers", "--emtpy"),
            m("did you mean --fail-fast", "build", "--fial-fast"),
            m("did you mean build", "biuld"),
            m("did you mean --select", "build", "--selct", "customers"),
            m("--defer needs --state", "run", "-s", "customers", "--defer"),
            m("'--bogus'", "build", "-s", "customers", "stg_orders", "--bogus=3"),
            m("--log-format must be text or json", "run", "-s", "customers", "--log-format", "xml"),
            m("--log-level must be one of", "build", "--log-level", "loud"),
            m("--log-level-file must be one of", "build", "--log-level-file", "verbose"),
            m("--resource-type must be one of", "ls", "--resource-type", "bogus"),
            m("--output must be one of", "ls", "--output", "jsn"),
            m("--output-keys: unknown key 'nmae'", "ls", "--output", "json", "--output-keys", "nmae"),
            m("'--threads'", "build", "--threads", "x"),
            m("--threads must be at least 1", "build", "--threads", "0"),
            m("target 'prod'", "build", "-t", "prod"),
            m("unknown warning 'Bogus'", "build", "--warn-error-options", "{error: [Bogus]}"),
            m("--vars is not valid YAML", "build", "--vars", "{a"),
            m("unknown selection method 'colour:'", "build", "-s", "colour:red"),
            m("'nothere' does not match any enabled nodes", "build", "--warn-error", "-s", "nothere"),
            m("did you mean --target", "build", "--targte", "dev"),
            m("'--target-path'", "build", "--target-path"),
            m("'--exclude'", "run", "--exclude"),
            m("unknown option '--select' for 'engine'", "--select", "customers", "build"),
            m("unknown option '--output' for 'engine compile'", "compile", "--output", "json"),
            m("'--port'", "docs", "serve", "--port", "abc"),
            m("indirect", "build", "--indirect-selection", "sometimes"),
            m("unexpected argument 'customers'", "build", "customers"),
            m("'--full-refresh'", "build", "--full-refresh=maybe"),
            m("did you mean --quiet", "--quite", "build"),
            m("unknown command 'biuld' for 'engine docs'", "docs", "biuld"));

    @Test
    void eachMistakeStopsWithOneLineAndBuildsNothing() {
        assertTrue(MISTAKES.size() >= 20);
        CliHarness p = copy("shop");
        for (Mistake mistake : MISTAKES) {
            CliHarness.Result r = p.run(mistake.args().toArray(String[]::new));
            String what = String.join(" ", mistake.args()) + " -> " + r.all();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
            assertTrue(r.err().contains(mistake.says()), what);
            assertFalse(r.all().contains("\tat "), "no stack trace: " + what);
            assertFalse(r.err().contains("Exception"), "no exception class: " + what);
            assertFalse(r.out().contains("START"), "nothing started: " + what);
            assertFalse(Files.exists(p.dir.resolve("target/run_results.json")), "nothing ran: " + what);
        }
        // Nothing reached the warehouse either: no relation was created in it.
        if (Files.exists(p.dir.resolve("warehouse.duckdb"))) {
            assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.tables where table_schema = 'main'")).longValue());
        }
    }

    @Test
    void theSameLinesSpelledRightWork() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("build", "-s", "+stg_customers", "--fail-fast", "--warn-error");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Completed successfully"), r.out());
        assertTrue(p.count("main.stg_customers") > 0);
    }

    @Test
    void emptyBuildsEveryRelationWithItsColumnsAndNoRows() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "--empty");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(0, p.count("main.customers"));
        assertEquals(0, p.count("main.orders"));
        assertEquals(0, p.count("main.stg_orders"));
        assertTrue(p.count("main.raw_orders") > 0, "seeds keep their rows");
        assertTrue(p.read("target/compiled/shop/models/marts/orders.sql").contains("where false limit 0)"));
        // The same model without --empty has the same columns.
        List<Object> emptyColumns = p.query("select column_name from information_schema.columns where table_name = 'customers' order by ordinal_position")
                .stream().map(row -> row.get("column_name")).toList();
        assertEquals(0, p.run("run").exitCode());
        assertTrue(p.count("main.customers") > 0);
        assertEquals(emptyColumns, p.query("select column_name from information_schema.columns where table_name = 'customers' order by ordinal_position")
                .stream().map(row -> row.get("column_name")).toList());
    }
}
