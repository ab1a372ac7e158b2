package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateErrorsTest {

    static final Path MODEL = Path.of("models/orders.sql");
    static final Path MACROS = Path.of("macros/util.sql");

    private static CompilationException fails(TemplateEngine e, String src, Map<String, TemplateFunction> fns) {
        return assertThrows(CompilationException.class, () -> e.render(MODEL, src, Map.of(), fns));
    }

    private static int line(CompilationException e) {
        return e.location().orElseThrow().line();
    }

    @Test
    void syntaxErrorReportsTheUsersLine() {
        TemplateEngine e = new TemplateEngine(List.of());
        // Rewritten constructs before the error must not shift the reported line.
        String src = "{{ config(materialized='table') }}\n{% set x = 'a' if true else 'b' %}\nselect 1\n{% if x ==  %}\n{% endif %}";
        CompilationException ex = fails(e, src, Map.of("config", (a, kw) -> ""));
        assertEquals(MODEL, ex.location().orElseThrow().file());
        assertEquals(4, line(ex));
    }

    @Test
    void unclosedBlockIsAnError() {
        CompilationException ex = fails(new TemplateEngine(List.of()), "select\n{% if true %}\nx\n", Map.of());
        assertEquals(MODEL, ex.location().orElseThrow().file());
    }

    @Test
    void aBlockTagLeftOpenIsNamedWithItsLine() {
        for (String[] c : List.of(new String[]{"for", "{% for x in [1] %}", "endfor"}, new String[]{"with", "{% with a = 1 %}", "endwith"},
                new String[]{"call", "{% call m() %}", "endcall"})) {
            CompilationException ex = fails(new TemplateEngine(List.of()), "select\n" + c[1] + "\nx\n", Map.of("m", (a, kw) -> ""));
            assertTrue(ex.getMessage().contains("{% " + c[0] + " %} without {% " + c[2] + " %}"), ex.getMessage());
            assertEquals(2, line(ex), ex.getMessage());
        }
    }

    @Test
    void unknownFunctionOrMacro() {
        CompilationException ex = fails(new TemplateEngine(List.of()), "select\n  {{ no_such_macro('x') }}", Map.of());
        assertTrue(ex.getMessage().contains("no_such_macro"), ex.getMessage());
        assertEquals(2, line(ex));
    }

    @Test
    void errorInsideMacroPointsAtTheMacroAndItsCaller() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(MACROS,
                "{% macro ok() %}fine{% endmacro %}\n\n{% macro broken(x) %}\n  {{ missing_thing(x) }}\n{% endmacro %}")));
        CompilationException ex = fails(e, "select\n{{ ok() }}\n{{ broken(1) }}", Map.of());
        assertEquals(new SourceLocation(MACROS, 4, 0), ex.location().orElseThrow());
        assertTrue(ex.getMessage().contains("missing_thing"), ex.getMessage());
        assertTrue(ex.getMessage().contains("models/orders.sql:3"), ex.getMessage());
    }

    @Test
    void raiseCompilerErrorInMacroReportsMacroLine() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(MACROS,
                "{% macro check(v) %}\n{% if v < 0 %}\n{{ exceptions.raise_compiler_error('negative: ' ~ v) }}\n{% endif %}\n{% endmacro %}")));
        CompilationException ex = fails(e, "{{ check(-1) }}", Map.of());
        assertEquals("negative: -1", ex.getMessage());
        assertEquals(new SourceLocation(MACROS, 3, 0), ex.location().orElseThrow());
    }

    @Test
    void functionExceptionGetsTheLine() {
        Map<String, TemplateFunction> fns = Map.of("ref", (a, kw) -> {
            throw new CompilationException("model 'nope' not found", null);
        });
        CompilationException ex = fails(new TemplateEngine(List.of()), "select *\nfrom {{ ref('nope') }}", fns);
        assertEquals("model 'nope' not found", ex.getMessage());
        assertEquals(new SourceLocation(MODEL, 2, 0), ex.location().orElseThrow());
    }

    @Test
    void locatedEngineExceptionIsRethrownAsIs() {
        CompilationException original = new CompilationException("x", SourceLocation.of(Path.of("elsewhere.yml"), 7));
        Map<String, TemplateFunction> fns = Map.of("ref", (a, kw) -> {
            throw original;
        });
        assertSame(original, fails(new TemplateEngine(List.of()), "{{ ref('a') }}", fns));
    }

    @Test
    void otherEngineExceptionKindsKeepTheirKind() {
        Map<String, TemplateFunction> fns = Map.of("var", (a, kw) -> {
            throw new ConfigException("var 'x' is not set");
        });
        ConfigException ex = assertThrows(ConfigException.class,
                () -> new TemplateEngine(List.of()).render(MODEL, "\n{{ var('x') }}", Map.of(), fns));
        assertEquals(new SourceLocation(MODEL, 2, 0), ex.location().orElseThrow());
    }

    @Test
    void plainFunctionExceptionBecomesCompilationError() {
        Map<String, TemplateFunction> fns = Map.of("ref", (a, kw) -> {
            throw new IllegalStateException("boom");
        });
        CompilationException ex = fails(new TemplateEngine(List.of()), "\n\n{{ ref('a') }}", fns);
        assertTrue(ex.getMessage().contains("boom"), ex.getMessage());
        assertEquals(3, line(ex));
    }

    @Test
    void macroFileThatDoesNotParse() {
        // Macros compile at the first render, or when checkMacros() asks (as the workspace does unless the parse
        // cache vouches for the same macros): both report the broken one with its file and line.
        List<MacroFile> broken = List.of(
                new MacroFile(MACROS, "{% macro a() %}x{% endmacro %}\n\n{% macro b() %}\n{% if %}\n{% endmacro %}"));
        CompilationException checked = assertThrows(CompilationException.class,
                () -> new TemplateEngine(broken).checkMacros());
        assertEquals(new SourceLocation(MACROS, 4, 0), checked.location().orElseThrow());
        CompilationException rendering = assertThrows(CompilationException.class,
                () -> new TemplateEngine(broken).render(MODEL, "select 1", Map.of(), Map.of()));
        assertEquals(new SourceLocation(MACROS, 4, 0), rendering.location().orElseThrow());
    }

    @Test
    void macroWithoutEndmacro() {
        CompilationException ex = assertThrows(CompilationException.class, () -> new TemplateEngine(List.of(
                new MacroFile(MACROS, "\n{% macro a() %}x"))));
        assertEquals(new SourceLocation(MACROS, 2, 0), ex.location().orElseThrow());
    }

    @Test
    void runawayRecursionIsReported() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(MACROS, "{% macro loop_forever() %}{{ loop_forever() }}{% endmacro %}")));
        CompilationException ex = fails(e, "{{ loop_forever() }}", Map.of());
        assertTrue(ex.getMessage().contains("nested deeper"), ex.getMessage());
    }
}
