package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.lexer.LexerImpl;
import io.pebbletemplates.pebble.lexer.Token;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** PebbleLexer must give exactly Pebble's tokens (type, value, line) wherever it gives any. */
class PebbleLexerTest {

    private final PebbleLexer lexer = new TemplateEngine(List.of()).runtime().lexer();

    /** Pebble's own tokens of source, rendered one per line. */
    private String pebble(String source) {
        PebbleEngine e = lexer.engine();
        LexerImpl impl = new LexerImpl(e.getSyntax(), e.getExtensionRegistry().getUnaryOperators().values(),
                e.getExtensionRegistry().getBinaryOperators().values());
        return render(impl.tokenize(new StringReader(source), source).getTokens());
    }

    private static String render(List<Token> tokens) {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) b.append(t.getType()).append(' ').append(t.getLineNumber()).append(" [").append(t.getValue()).append("]\n");
        return b.toString();
    }

    /** Asserts the subset takes source and agrees with Pebble. */
    private void same(String source) {
        List<Token> mine = lexer.tokens(source);
        assertNotNull(mine, () -> "expected in the subset: " + source);
        assertEquals(pebble(source), render(mine), source);
    }

    @Test
    void tokensOfTheSubsetAreCopiesOfPebbles() {
        same("select 1");
        same("");
        same("{{ x }}");
        same("a\n{{ __call('ref', 'm00001') }}\nb {{ __call('double', 'a.amount') }} + c\n");
        same("{% if x is not null and y in [1, 2.5, 3L] %}\n yes\n{% else %}no{% endif %}");
        same("{{ {'a': (1 + 2) * 3 // 4 % 5, \"b\": x.y[0]} }}");
        same("{{ {'a':1}}}");
        same("{{ organization or order and notx not in y }}");
        same("{{ a == b != c <= d >= e < f > g ~ h ..  i ? j : k | default('z') }}");
        same("{{ 'multi\nline' }} after {{ \"two\nlines\" }}\n{{ x }}");
        same("{% set equals_x = x equals y %}{{ x contains y }}{{ 1.x }}{{ 12L }}{{ 1.5.x }}");
        same("{{\n  __call('config',\n    __kw('materialized', 'table'))\n}}\n\nselect {{ a -b }} - {{ -1 }}");
        same("a {# one\n comment #} b\n{#c#}{# {{ x }} #}{{ y }}{##}");
        same("a  \n {{- x -}}  \n b {%- if y -%}\n\n{%- endif %}   {#- c -#}  \n{{ z }}\t{#- -#}{#- d-#} e\n{#x -#}\n f");
        same("  {{- x }}{{- y -}}   {{- z}}   \n{% if a %} {%- endif -%} \n\n");
        same("{#- -#}  x{{ a-}}\n  y");
        same("{{ a }}\n{#-\u000b\f-#}  x{#-\n\n -#}\ny");
        same("text { not a tag } {x} {{ y }}\u2028after\u0085{{ z }}");
    }

    @Test
    void constructsOutsideTheSubsetAreLeftToPebble() {
        for (String s : List.of("{# open", "{{-x }}", "{{ (x -}}", "{% x -}}", "{{ x -%}", "{% verbatim %}{{ y }}{% endverbatim %}",
                "{{ 'it\\'s' }}", "{{ \"#{x}\" }}", "a\r\n{{ x }}", "{{ x ", "{{ (x }}", "{{ x) }}", "{{ [x) }}",
                "{{ 'open }}", "{{ x @ y }}", "{{ caf\u00e9 }}", "{{ x\u000b}}")) {
            assertNull(lexer.tokens(s), s);
        }
    }

    @Test
    void templatesCompiledByEitherLexerRenderTheSame() {
        for (String s : List.of("{% set xs = [1, 2, 3] %}{% for x in xs %}{{ x * 2 }},{% endfor %}",
                "{{ 'a' ~ 'b' }}{% if 3 is odd %}odd{% endif %}")) {
            assertNotNull(lexer.compile(s));
            java.io.StringWriter fast = new java.io.StringWriter();
            java.io.StringWriter slow = new java.io.StringWriter();
            try {
                lexer.compile(s).evaluate(fast);
                lexer.engine().getLiteralTemplate(s).evaluate(slow);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertEquals(slow.toString(), fast.toString(), s);
        }
    }

    /** Every template of the repository (projects, fixtures, built-in macros), as JinjaTranslator gives it. */
    @Test
    void everyTemplateInTheRepositoryAgrees() throws IOException {
        List<String> translated = new ArrayList<>();
        for (MacroExtractor.MacroDef d : TemplateEngine.internalMacros()) add(translated, d.template());
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".sql"))
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/")
                            && !f.toString().contains("/node_modules/") && !f.toString().contains("/.dataform/"))::iterator) {
                String src = Files.readString(p, StandardCharsets.UTF_8);
                MacroExtractor.Extracted ex;
                try {
                    ex = MacroExtractor.extract(p, src);
                } catch (RuntimeException e) {
                    continue; // a fixture of a broken template
                }
                for (MacroExtractor.MacroDef d : ex.macros()) add(translated, d.template());
                add(translated, ex.rest());
            }
        }
        int taken = 0;
        for (String s : translated) {
            List<Token> mine = lexer.tokens(s);
            if (mine == null) continue;
            taken++;
            assertEquals(pebble(s), render(mine), s);
        }
        // The subset is the common case: nearly all of the repository's templates take the fast path.
        assertTrue(translated.size() > 200, "templates found: " + translated.size());
        assertTrue(taken * 10 > translated.size() * 9, taken + " of " + translated.size());
    }

    private static void add(List<String> out, String jinja) {
        try {
            out.add(JinjaTranslator.translate(jinja));
        } catch (RuntimeException e) {
            // not translatable: an error case of some test, never compiled
        }
    }
}
