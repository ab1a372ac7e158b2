package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partial parsing (target/partial_parse.json): an unchanged project reuses the previous parse, and every kind of
 * change (a model, a macro, a var, an env var, a schema file, the project file, the warehouse a template asks)
 * shows in what compiles, never a stale cached parse.
 */
class PartialParseTest extends ProjectTest {
    private static final Pattern REUSED = Pattern.compile("reused the cached parse of (\\d+) of (\\d+) nodes");

    private CliHarness project() {
        CliHarness p = CliHarness.copyOf(fixture(), "pp", tmp, warehouse());
        return p;
    }

    /** A small project written here: vars, a macro, refs, an env var, a schema file with a test, introspection. */
    private Path fixture() {
        try {
            Path d = Files.createDirectories(tmp.resolve("src"));
            write(d, "dbt_project.yml", "name: pp\nprofile: pp\nvars:\n  threshold: 5\n");
            write(d, "macros/plus.sql", "{% macro plus_one(x) %}({{ x }} + 1){% endmacro %}\n");
            write(d, "models/a.sql", "select 1 as id, {{ var('threshold') }} as t\n");
            write(d, "models/b.sql", "select id, {{ plus_one('t') }} as t2 from {{ ref('a') }}\n");
            write(d, "models/c.sql", "select '{{ env_var('PP_COLOUR', 'none') }}' as colour\n");
            write(d, "models/knobbed.sql", "{% set r = run_query('select max(v) as v from main.knob') %}\n"
                    + "select {{ r.columns[0].values()[0] if execute else 0 }} as v\n");
            write(d, "models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n"
                    + "        tests: [not_null]\n");
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path dir, String rel, String text) throws IOException {
        Files.createDirectories(dir.resolve(rel).getParent());
        Files.writeString(dir.resolve(rel), text);
    }

    private void knob(CliHarness p, int value) throws Exception {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute("create or replace table main.knob as select " + value + " as v");
        }
    }

    /** [reused, total] from the debug line of a compile. */
    private static int[] counts(CliHarness.Result r) {
        Matcher m = REUSED.matcher(r.out());
        assertTrue(m.find(), r.all());
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static CliHarness.Result compile(CliHarness p, String... extra) {
        List<String> args = new ArrayList<>(List.of("compile", "--debug"));
        args.addAll(List.of(extra));
        CliHarness.Result r = p.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.all());
        return r;
    }

    private static String compiled(CliHarness p, String model) {
        return p.read("target/compiled/pp/models/" + model + ".sql").strip();
    }

    @Test
    void unchangedProjectReusesTheParseAndEveryChangeShows() throws Exception {
        CliHarness p = project();
        knob(p, 42);
        int[] first = counts(compile(p));
        assertEquals(0, first[0]);
        // a, b, c, knobbed and the not_null test
        assertEquals(5, first[1]);
        assertTrue(Files.exists(p.dir.resolve("target/partial_parse.json")));
        String a = compiled(p, "a");
        assertEquals("select 1 as id, 5 as t", a);
        assertEquals("select 42 as v", compiled(p, "knobbed"));

        // Unchanged: everything but the node that asks the warehouse comes from the cache; the output is the same.
        knob(p, 43);
        int[] second = counts(compile(p));
        assertEquals(4, second[0], "all but the introspecting node reused");
        assertEquals(a, compiled(p, "a"));
        assertEquals("select id, (t + 1) as t2 from \"main\".\"a\"", compiled(p, "b"));
        // The node that queried the warehouse is never served from the cache.
        assertEquals("select 43 as v", compiled(p, "knobbed"));

        // A model edited: it alone is parsed again.
        p.write("models/a.sql", "select 1 as id, {{ var('threshold') }} as t, 2 as extra\n");
        int[] edited = counts(compile(p));
        assertEquals(3, edited[0]);
        assertEquals("select 1 as id, 5 as t, 2 as extra", compiled(p, "a"));

        // A macro edited: the model that calls it shows the change.
        p.write("macros/plus.sql", "{% macro plus_one(x) %}({{ x }} + 2){% endmacro %}\n");
        compile(p);
        assertEquals("select id, (t + 2) as t2 from \"main\".\"a\"", compiled(p, "b"));

        // --vars, then the project file's vars.
        compile(p, "--vars", "{threshold: 7}");
        assertEquals("select 1 as id, 7 as t, 2 as extra", compiled(p, "a"));
        p.write("dbt_project.yml", "name: pp\nprofile: pp\nvars:\n  threshold: 9\n");
        compile(p);
        assertEquals("select 1 as id, 9 as t, 2 as extra", compiled(p, "a"));

        // A schema file gives a an alias: b, unchanged and cached, reads the new name.
        p.write("models/schema.yml", "version: 2\nmodels:\n  - name: a\n    config:\n      alias: a_renamed\n"
                + "    columns:\n      - name: id\n        tests: [not_null]\n");
        compile(p);
        assertEquals("select id, (t + 2) as t2 from \"main\".\"a_renamed\"", compiled(p, "b"));
        assertTrue(p.read("target/compiled/pp/models/schema.yml/not_null_a_id.sql").contains("\"a_renamed\""),
                p.read("target/compiled/pp/models/schema.yml/not_null_a_id.sql"));

        // The project file's own change shows too (a folder config here).
        p.write("dbt_project.yml", "name: pp\nprofile: pp\nvars:\n  threshold: 9\nmodels:\n  pp:\n    +schema: extra\n");
        compile(p);
        assertEquals("select id, (t + 2) as t2 from \"main_extra\".\"a_renamed\"", compiled(p, "b"));

        // --no-partial-parse parses everything and drops the cache file.
        CliHarness.Result off = compile(p, "--no-partial-parse");
        assertFalse(REUSED.matcher(off.out()).find(), off.out());
        assertFalse(Files.exists(p.dir.resolve("target/partial_parse.json")));
    }

    @Test
    void aCorruptOrOtherFormatCacheIsAFullParseAndIsReplaced() throws Exception {
        CliHarness p = project();
        knob(p, 1);
        compile(p);
        String b = compiled(p, "b");
        Path cache = p.dir.resolve("target/partial_parse.json");
        String good = Files.readString(cache);
        assertEquals(4, counts(compile(p))[0]);
        // Truncated, not JSON, and a field this engine does not write (another version's format).
        for (String bad : List.of(good.substring(0, good.length() / 2), "\u0000garbage",
                good.replaceFirst("\"hash\":", "\"flavour\":1,\"hash\":"))) {
            Files.writeString(cache, bad);
            assertEquals(0, counts(compile(p))[0], bad.length() > 60 ? bad.substring(0, 60) : bad);
            assertEquals(b, compiled(p, "b"));
            // The next command finds the file written again.
            assertEquals(4, counts(compile(p))[0]);
        }
        // ls reads the same file: it lists the project from a corrupt cache too.
        Files.writeString(cache, "{\"key\":");
        assertListsTheProject(p);
    }

    private static void assertListsTheProject(CliHarness p) {
        CliHarness.Result ls = p.run("ls");
        assertEquals(0, ls.exitCode(), ls.all());
        assertTrue(ls.out().contains("pp.b"), ls.out());
    }

    @Test
    void aSyntaxErrorInAMacroNoModelCallsIsReportedWhenTheCacheServesEveryNode() throws Exception {
        CliHarness p = project();
        // Every node cacheable: a command served by the cache renders nothing and starts no template engine.
        Files.delete(p.dir.resolve("models/knobbed.sql"));
        p.write("macros/unused.sql", "{% macro unused(x) %}{{ x }}{% endmacro %}\n");
        assertEquals(0, counts(compile(p))[0]);
        assertTrue(p.read("target/partial_parse.json").contains("\"macros\":\""), "the checked macros are recorded");
        int[] cached = counts(compile(p));
        assertEquals(cached[1], cached[0]);
        assertEquals(0, p.run("ls").exitCode());

        // Same macro names (the cache key), changed text, called by no node: still compiled, so still reported.
        p.write("macros/unused.sql", "{% macro unused(x) %}{{ x + }}{% endmacro %}\n");
        for (String command : List.of("ls", "compile")) {
            CliHarness.Result r = p.run(command);
            assertEquals(2, r.exitCode(), command + ": " + r.all());
            assertTrue(r.err().contains("unused.sql"), command + ": " + r.err());
        }
        // Fixed: the cache serves every node again, and ls lists them.
        p.write("macros/unused.sql", "{% macro unused(x) %}{{ x }} + 1{% endmacro %}\n");
        int[] fixed = counts(compile(p));
        assertEquals(fixed[1], fixed[0]);
        assertListsTheProject(p);
    }

    @Test
    void anEnvironmentVariableChangeShows() throws Exception {
        CliHarness p = project();
        knob(p, 1);
        assertTrue(inProcess(p, Map.of("PP_COLOUR", "qzx")).contains("reused the cached parse of 0 of 5"));
        assertEquals("select 'qzx' as colour", compiled(p, "c"));
        String again = inProcess(p, Map.of("PP_COLOUR", "qzx"));
        assertTrue(again.contains("reused the cached parse of 4 of 5"), again);
        assertEquals("select 'qzx' as colour", compiled(p, "c"));
        String changed = inProcess(p, Map.of("PP_COLOUR", "qzy"));
        assertTrue(changed.contains("reused the cached parse of 3 of 5"), changed);
        assertEquals("select 'qzy' as colour", compiled(p, "c"));
        // The cache never holds an env_var() value, which may be a secret (short ones are not masked in files).
        assertFalse(Files.readString(p.dir.resolve("target/partial_parse.json")).contains("qzy"));
    }

    @Test
    void valuesThatDifferEachInvocationAreNeverServedFromTheCache() throws Exception {
        CliHarness p = project();
        knob(p, 1);
        // modules read directly, through a name the template sets, and in a macro; thread_id (the rendering thread).
        p.write("models/now_direct.sql", "select '{{ modules.datetime.datetime.now().isoformat() }}' as t\n");
        p.write("models/now_set.sql", "{% set d = modules.datetime %}select '{{ d.datetime.now().isoformat() }}' as t\n");
        p.write("macros/stamp.sql", "{% macro stamp() %}'{{ modules.datetime.datetime.now().isoformat() }}'{% endmacro %}\n");
        p.write("models/now_macro.sql", "select {{ stamp() }} as t\n");
        p.write("models/thread.sql", "select '{{ thread_id }}' as t\n");
        int[] first = counts(compile(p));
        assertEquals(0, first[0]);
        assertEquals(9, first[1]);
        String direct = compiled(p, "now_direct");
        int[] second = counts(compile(p));
        // The five plain nodes but the introspecting one: none of the four that read modules or thread_id.
        assertEquals(4, second[0], "only the plain nodes reused");
        assertFalse(direct.equals(compiled(p, "now_direct")), "datetime.now() rendered again: " + direct);
    }

    /** compile --debug in a JVM of its own, with extra environment variables. */
    private static String inProcess(CliHarness p, Map<String, String> env) throws Exception {
        return CliProcess.succeed(p, env, "compile", "--debug");
    }

    /** Output columns and lineage of a model in manifest.json. */
    private static String columnsOf(CliHarness p, String model) throws IOException {
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(p.read("target/manifest.json")).path("nodes").path("model.pp." + model);
        List<String> cols = new ArrayList<>();
        n.path("columns").fieldNames().forEachRemaining(cols::add);
        return cols + " " + n.path("config").path("sluice").path("column_lineage");
    }

    @Test
    void calciteAnalysisIsReusedWhileTheSqlAndTheColumnsItReadsAreUnchanged() throws Exception {
        CliHarness p = project();
        knob(p, 1);
        p.write("models/d.sql", "select * from {{ ref('b') }}\n");
        compile(p);
        assertEquals("[id, t2] {\"id\":[\"main.b.id\"],\"t2\":[\"main.b.t2\"]}", columnsOf(p, "d"));
        // The cached analysis is what a warm compile uses: a hand-edited entry shows in the manifest.
        Path cache = p.dir.resolve("target/partial_parse.json");
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(cache.toFile());
        com.fasterxml.jackson.databind.node.ObjectNode d = (com.fasterxml.jackson.databind.node.ObjectNode)
                tree.path("analyses").path("model.pp.d");
        assertEquals(2, d.path("columns").size(), tree.path("analyses").toString());
        d.putArray("columns").add("id").add("from_cache");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(cache.toFile(), tree);
        compile(p);
        assertTrue(columnsOf(p, "d").startsWith("[id, from_cache]"), columnsOf(p, "d"));
        // An upstream model's columns change while d's SQL does not: d is analysed again (its star expands anew).
        p.write("models/b.sql", "select id, {{ plus_one('t') }} as t2, 3 as t3 from {{ ref('a') }}\n");
        compile(p);
        assertTrue(columnsOf(p, "d").startsWith("[id, t2, t3]"), columnsOf(p, "d"));
        // d's own SQL changes: analysed again.
        p.write("models/d.sql", "select id from {{ ref('b') }}\n");
        compile(p);
        assertEquals("[id] {\"id\":[\"main.b.id\"]}", columnsOf(p, "d"));
        // Without the parse cache the analysis is Calcite's own, as with it.
        p.write("models/d.sql", "select * from {{ ref('b') }}\n");
        compile(p);
        String warm = columnsOf(p, "d");
        compile(p);
        assertEquals(warm, columnsOf(p, "d"));
        compile(p, "--no-partial-parse");
        assertEquals(warm, columnsOf(p, "d"));
    }
}
