package dev.sluice.state;

import dev.sluice.template.MacroFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MacroIndexTest {
    /** The pattern nextTag stands for: what the scan used before, kept here as the reference. */
    private static final Pattern TAG = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}", Pattern.DOTALL);

    /** The pattern nextCall stands for, as the scan used it before. */
    private static final Pattern CALL = Pattern.compile("(?:\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\.\\s*)?\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private static List<String> callsByRegex(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = CALL.matcher(s);
        while (m.find()) out.add(m.start() + "-" + m.end() + ":" + m.group(1) + "." + m.group(2));
        return out;
    }

    private static List<String> callsByScan(String s) {
        List<String> out = new ArrayList<>();
        int[] call = new int[4];
        int at = 0;
        while ((at = MacroIndex.nextCall(s, at, call)) >= 0) {
            int start = call[0] >= 0 ? call[0] : call[2];
            out.add(start + "-" + at + ":" + (call[0] < 0 ? null : s.substring(call[0], call[1])) + "." + s.substring(call[2], call[3]));
        }
        return out;
    }

    @Test
    void callsAreTheRegexsOnIdentifiersDotsSpacesAndWordCharactersOfAnyScript() {
        for (String s : List.of("", "(", "a(", " a (", "a.b(", "a . b (", "a.b.c(", "a..b(", "a.(b(", "1a(", "a1(", "_x_(",
                "x.y z(", "é(", "éa(", "a\u0301b(", "_\u0301b(", " \u0301b(", "\u0663b(", "\uD835\uDC00b(", "a.\u0301b(",
                "ref('m1') }} {{ u.star(x)", "config(materialized='view')", "a\u000B(", "a\f.\rb\t(")) {
            assertEquals(callsByRegex(s), callsByScan(s), s);
        }
        // Random strings over names, dots, parentheses, white space of both kinds and word characters beyond ASCII:
        // letters and digits of other scripts (one outside the BMP), a non-spacing mark.
        String[] pieces = {"a", "Z", "_", "1", ".", "(", " ", "\t", "\n", "\u000B", "\u00A0", "é", "\u0301", "\u0663",
                "\uD835\uDC00", "-", "'"};
        Random random = new Random(1414);
        for (int n = 0; n < 100_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(14);
            for (int i = 0; i < length; i++) b.append(pieces[random.nextInt(pieces.length)]);
            String s = b.toString();
            assertEquals(callsByRegex(s), callsByScan(s), s);
        }
    }

    private static List<String> byRegex(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = TAG.matcher(s);
        while (m.find()) out.add(m.start() + ":" + m.group());
        return out;
    }

    private static List<String> byScan(String s) {
        List<String> out = new ArrayList<>();
        int[] tag = new int[2];
        int from = 0;
        while (MacroIndex.nextTag(s, from, tag)) {
            out.add(tag[0] + ":" + s.substring(tag[0], tag[1]));
            from = tag[1];
        }
        return out;
    }

    @Test
    void tagsAreTheRegexsOnTemplatesOfBracesPercentsAndNewlines() {
        for (String s : List.of("", "{", "{{", "{{}}", "{%%}", "{{ a }}{% b %}", "{{{ a }}}", "{{% x %}}", "{%{{ x }}%}",
                "{{ a", "{% a }} b %}", "x {{ unclosed {% closed %}", "{{\n multi\n line }}", "}}{{", "{ {{ x }} }",
                "{{ ref('a') }} {%- if x -%}{{ y }}{%- endif -%}")) {
            assertEquals(byRegex(s), byScan(s), s);
        }
        // Random strings over the characters that matter, each compared whole.
        Random random = new Random(14);
        String alphabet = "{}%{}% a(\n";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String s = b.toString();
            assertEquals(byRegex(s), byScan(s), s);
        }
    }

    @Test
    void callsAreFoundInTagsOnlyWithQualifiersAndDispatch() {
        MacroIndex index = new MacroIndex("p", List.of(
                new MacroFile(Path.of("macros/a.sql"), """
                        {% macro money(x) %}{{ return(adapter.dispatch('money', 'p')(x)) }}{% endmacro %}
                        {% macro default__money(x) %}round({{ x }}, 2){% endmacro %}
                        {% macro double(x) %}{{ x }} * 2{% endmacro %}
                        """, null),
                new MacroFile(Path.of("dbt_packages/u/macros/u.sql"), "{% macro star(r) %}*{% endmacro %}", "u")));
        // double( outside a tag is SQL, not a call; {{ double }} without parentheses calls nothing.
        assertEquals(List.of("macro.p.money", "macro.u.star"),
                index.calls("select double(1), {{ double }}, {{ money(2) }} from {{ u.star(x) }}", "p"));
        assertEquals(List.of("macro.p.default__money"), index.calls("{% set m = adapter.dispatch('money') %}", "p"));
        assertEquals(List.of("macro.p.double"), index.calls("{{ ref('a') }} {{\n double(\n1) }} {% unclosed double(3)", "p"));
    }
}
