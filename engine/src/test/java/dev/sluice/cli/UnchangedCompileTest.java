package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compile with nothing changed since the last keeps that compile's outputs (task.UnchangedCompile): target/ is
 * what a compile would write, and every kind of change (a model, a new file, a macro, --vars, a schema file, the
 * profile, an environment variable, an output edited by hand) compiles again and shows.
 */
class UnchangedCompileTest extends ProjectTest {
    private static final String KEPT = "its outputs are kept";

    private CliHarness project() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("src"));
        write(d, "dbt_project.yml", "name: uc\nprofile: uc\nvars:\n  threshold: 5\n");
        write(d, "macros/plus.sql", "{% macro plus_one(x) %}({{ x }} + 1){% endmacro %}\n");
        write(d, "models/a.sql", "select 1 as id, {{ var('threshold') }} as t\n");
        write(d, "models/b.sql", "select id, {{ plus_one('t') }} as t2 from {{ ref('a') }}\n");
        // A literal that the environment may declare secret (masked in the manifest then).
        write(d, "models/c.sql", "select 'hunter2-xyz' as pw\n");
        write(d, "models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n"
                + "        tests: [not_null]\n");
        return CliHarness.copyOf(d, "uc", tmp, warehouse());
    }

    private static void write(Path dir, String rel, String text) throws IOException {
        Files.createDirectories(dir.resolve(rel).getParent());
        Files.writeString(dir.resolve(rel), text);
    }

    private static CliHarness.Result compile(CliHarness p, String... extra) {
        List<String> args = new ArrayList<>(List.of("compile", "--debug"));
        args.addAll(List.of(extra));
        CliHarness.Result r = p.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.all());
        return r;
    }

    /** Every file of target/ that a compile writes, manifest.json with its invocation id and times masked. */
    private static Map<String, String> target(CliHarness p) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path t = p.dir.resolve("target");
        try (Stream<Path> s = Files.walk(t)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = t.relativize(f).toString();
                if (rel.equals("unchanged_compile.json") || rel.endsWith(".duckdb") || rel.endsWith(".wal")) continue;
                String text = Files.readString(f);
                if (rel.equals("manifest.json")) {
                    text = text.replaceAll("\"(generated_at|invocation_id|invocation_started_at)\":\"[^\"]*\"", "\"$1\":\"X\"");
                }
                out.put(rel, text);
            }
        }
        return out;
    }

    @Test
    void anUnchangedProjectKeepsTheOutputsAndEveryChangeCompiles() throws Exception {
        CliHarness p = project();
        CliHarness.Result first = compile(p);
        assertFalse(first.out().contains(KEPT));
        // Without a parse cache before it a compile cannot be recorded, so its inputs are not even digested.
        assertTrue(first.out().contains("not recorded for the next to keep: its inputs were not digested"), first.out());
        assertFalse(Files.exists(p.dir.resolve("target/unchanged_compile.json")));
        // The first compile parsed everything: only a compile served wholly by the parse cache is kept next.
        CliHarness.Result second = compile(p);
        assertFalse(second.out().contains(KEPT), second.out());
        Map<String, String> full = target(p);
        String manifest = p.read("target/manifest.json");
        CliHarness.Result third = compile(p);
        assertTrue(third.out().contains(KEPT), third.out());
        assertTrue(third.out().contains("reused the cached parse of 4 of 4 nodes"), third.out());
        assertTrue(third.out().contains("Compiled 4 nodes to target/compiled"), third.out());
        assertEquals(full, target(p), "the kept target/ is what the full compile wrote");
        String kept = p.read("target/manifest.json");
        assertNotEquals(manifest, kept, "a new invocation id and times");
        // An invocation id of its own.
        String id = kept.replaceAll("(?s).*?\"invocation_id\":\"([^\"]*)\".*", "$1");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertFalse(manifest.contains(id), id);
        assertTrue(compile(p).out().contains(KEPT), "kept again after a kept compile");

        // A model edited.
        p.write("models/a.sql", "select 1 as id, {{ var('threshold') }} as t, 2 as extra\n");
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select 1 as id, 5 as t, 2 as extra", compiled(p, "a"));
        compile(p);
        assertTrue(compile(p).out().contains(KEPT));

        // A new model file.
        p.write("models/d.sql", "select * from {{ ref('b') }}\n");
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select * from \"main\".\"b\"", compiled(p, "d"));
        compile(p);

        // A macro edited.
        p.write("macros/plus.sql", "{% macro plus_one(x) %}({{ x }} + 2){% endmacro %}\n");
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select id, (t + 2) as t2 from \"main\".\"a\"", compiled(p, "b"));
        compile(p);
        assertTrue(compile(p).out().contains(KEPT));

        // --vars.
        assertFalse(compile(p, "--vars", "{threshold: 7}").out().contains(KEPT));
        assertEquals("select 1 as id, 7 as t, 2 as extra", compiled(p, "a"));
        assertFalse(compile(p).out().contains(KEPT), "back to the project's vars");
        assertEquals("select 1 as id, 5 as t, 2 as extra", compiled(p, "a"));
        compile(p);

        // A schema file: a new alias.
        p.write("models/schema.yml", "version: 2\nmodels:\n  - name: a\n    config:\n      alias: a_renamed\n"
                + "    columns:\n      - name: id\n        tests: [not_null]\n");
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select id, (t + 2) as t2 from \"main\".\"a_renamed\"", compiled(p, "b"));
        compile(p);

        // The profile: another schema.
        p.write("profiles.yml", p.read("profiles.yml").replace("schema: main", "schema: other"));
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select id, (t + 2) as t2 from \"other\".\"a_renamed\"", compiled(p, "b"));
        compile(p);
        assertTrue(compile(p).out().contains(KEPT));

        // Outputs touched by hand: a compiled file edited, the manifest removed.
        Path b = p.dir.resolve("target/compiled/uc/models/b.sql");
        Files.writeString(b, "edited");
        assertFalse(compile(p).out().contains(KEPT));
        assertEquals("select id, (t + 2) as t2 from \"other\".\"a_renamed\"", compiled(p, "b"));
        compile(p);
        p.delete("target/manifest.json");
        assertFalse(compile(p).out().contains(KEPT));
        assertTrue(Files.isRegularFile(p.dir.resolve("target/manifest.json")));
        compile(p);
        assertTrue(compile(p).out().contains(KEPT));
        // The parse cache removed (the stamp left): compiled, not recorded; then cached and recorded; then kept.
        p.delete("target/partial_parse.json");
        CliHarness.Result uncached = compile(p);
        assertFalse(uncached.out().contains(KEPT), uncached.out());
        assertTrue(uncached.out().contains("its inputs were not digested"), uncached.out());
        assertFalse(Files.exists(p.dir.resolve("target/unchanged_compile.json")));
        assertFalse(compile(p).out().contains(KEPT));
        assertTrue(compile(p).out().contains(KEPT));
        assertEquals("select id, (t + 2) as t2 from \"other\".\"a_renamed\"", compiled(p, "b"));
    }

    @Test
    void anEnvironmentVariableChangeCompiles() throws Exception {
        CliHarness p = project();
        inProcess(p, Map.of());
        assertFalse(inProcess(p, Map.of()).contains(KEPT));
        assertTrue(inProcess(p, Map.of()).contains(KEPT));
        assertTrue(p.read("target/manifest.json").contains("hunter2-xyz"));
        // The environment now declares the literal secret: the manifest masks it.
        assertFalse(inProcess(p, Map.of("DBT_ENV_SECRET_PW", "hunter2-xyz")).contains(KEPT));
        assertFalse(p.read("target/manifest.json").contains("hunter2-xyz"));
        // A model reading an environment variable is rendered by every compile: never kept.
        p.write("models/e.sql", "select '{{ env_var('UC_COLOUR', 'none') }}' as colour\n");
        for (int i = 0; i < 3; i++) assertFalse(inProcess(p, Map.of("UC_COLOUR", "red")).contains(KEPT));
        assertFalse(inProcess(p, Map.of("UC_COLOUR", "blue")).contains(KEPT));
        assertEquals("select 'blue' as colour", compiled(p, "e"));
    }

    @Test
    void aCompileThatRendersOrAsksTheWarehouseIsNeverKept() throws Exception {
        CliHarness p = project();
        p.write("models/when.sql", "select '{{ run_started_at }}' as at\n");
        for (int i = 0; i < 3; i++) {
            CliHarness.Result r = compile(p);
            assertFalse(r.out().contains(KEPT), r.out());
        }
        assertTrue(compile(p).out().contains("This compile is not recorded for the next to keep"));
        p.delete("models/when.sql");
        p.write("models/asks.sql", "{% set r = run_query('select 1 as v') %}\nselect {{ r.columns[0].values()[0] if execute else 0 }} as v\n");
        for (int i = 0; i < 3; i++) {
            CliHarness.Result r = compile(p);
            assertFalse(r.out().contains(KEPT), r.out());
        }
    }

    private static String compiled(CliHarness p, String model) {
        return p.read("target/compiled/uc/models/" + model + ".sql").strip();
    }

    /** compile --debug in a JVM of its own, with extra environment variables. */
    private static String inProcess(CliHarness p, Map<String, String> env) throws Exception {
        return CliProcess.succeed(p, env, "compile", "--debug");
    }
}
