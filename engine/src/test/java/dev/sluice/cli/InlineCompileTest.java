package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compile --inline: an SQL snippet rendered in the project's context, as dbt compiles --inline. */
class InlineCompileTest extends ProjectTest {

    @Test
    void inlineSnippetResolvesRefsAndPrintsTheSql() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("compile", "--inline", "select count(*) as n from {{ ref('stg_orders') }}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Compiled node 'inline' is:"), r.out());
        // The ref resolves to the model's relation on the target, as the model's own compiled SQL names it.
        String expected = "select count(*) as n from \"main\".\"stg_orders\"";
        assertTrue(r.out().lines().anyMatch(l -> l.strip().equals(expected)), r.out());
        // Read-only: nothing was built.
        assertEquals(null, p.relationType("main", "stg_orders"));
    }

    @Test
    void templateErrorNamesInlineAndLine() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("compile", "--inline", "select 1\nfrom {{ ref('no_such_model') }}");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("Compilation Error in inline:2:"), r.err());
        assertTrue(r.err().contains("no_such_model"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
