package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.error.CompilationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Jinja construct dbt projects write, one by one: either the output Jinja2 gives (worked out
 * from Jinja2's semantics) or a clear error naming the file and line. Nothing renders as a silent
 * empty string. Constructs of dbt's context (model, graph, invocation_args_dict, ...) are tried the same way,
 * through the CLI, in cli.DbtContextConstructsTest.
 */
class UnsupportedConstructsTest {

    static final Path MODEL = Path.of("models/m.sql");

    private static final String MACROS = String.join("\n",
            "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}",
            "{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}",
            "{% macro equals(a, b) %}{{ a == b }}{% endmacro %}",
            "{% macro spread(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}",
            "{% macro two(a, b) %}{{ a }}{{ b }}{% endmacro %}",
            "{% macro strict(a) %}{{ a }}{% endmacro %}");

    private static String render(String src) {
        return render(src, new HashMap<>());
    }

    private static String render(String src, Map<String, TemplateFunction> fns) {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(Path.of("macros/m.sql"), MACROS)));
        return e.render(MODEL, src, Map.of(), fns);
    }

    /** Asserts a clear error at the given line of the model, containing the given text. */
    private static void fails(String src, int line, String message) {
        CompilationException e = assertThrows(CompilationException.class, () -> render(src), src);
        assertTrue(e.getMessage().contains(message), "'" + message + "' not in: " + e.getMessage());
        assertEquals(MODEL, e.location().orElseThrow().file(), e.getMessage());
        assertEquals(line, e.location().orElseThrow().line(), e.getMessage());
        assertTrue(!e.getMessage().contains("Pebble") && !e.getMessage().contains("__"), "internals leak: " + e.getMessage());
    }

    // ---- names set on some paths only -------------------------------------------------------

    @Test
    void aNameSetOnlyOnAnotherPathPrintsEmptyButAnUnknownNameFails() {
        // dbt_utils' generic tests print variables they set inside an {% if %}; Jinja prints them empty.
        assertEquals("[]", render("{% if false %}{% set cols = 'a' %}{% endif %}[{{ cols }}]"));
        assertEquals("[a]", render("{% if true %}{% set cols = 'a' %}{% endif %}[{{ cols }}]"));
        assertEquals("[]", render("{% if false %}{% set x, y = [1, 2] %}{% endif %}[{{ y }}]"));
        fails("{% if false %}{% set cols = 'a' %}{% endif %}\n{{ colz }}", 2, "'colz' is undefined");
        fails("{% set cols = 'a' %}{{ cols.nope }}", 1, "nope");
    }

    // ---- call blocks -------------------------------------------------------------------------

    @Test
    void callBlockGivesTheMacroItsCaller() {
        assertEquals("<b>hi 2</b>", render("{% call wrap('b') %}hi {{ 1 + 1 }}{% endcall %}"));
        assertEquals("[1][2]", render("{% call(x) each([1, 2]) %}[{{ x }}]{% endcall %}"));
    }

    @Test
    void callBlockHandsItsBodyToAFunctionAsCaller() {
        List<String> seen = new ArrayList<>();
        Map<String, TemplateFunction> fns = new HashMap<>();
        fns.put("statement", (a, kw) -> {
            TemplateFunction body = (TemplateFunction) kw.get("caller");
            seen.add(a.get(0) + ":" + body.call(List.of(), Map.of()).toString().strip() + ":" + kw.get("fetch_result"));
            return "";
        });
        assertEquals("", render("{% call statement('main', fetch_result=True) %}\n  select {{ 40 + 2 }}\n{% endcall %}", fns));
        assertEquals(List.of("main:select 42:true"), seen);
    }

    // ---- assignment and scoping --------------------------------------------------------------

    @Test
    void namespaceAttributesSurviveTheLoop() {
        assertEquals("6", render("{% set ns = namespace(total=0) %}{% for i in [1, 2, 3] %}"
                + "{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}"));
        // Without a namespace, Jinja's loop scope keeps the outer value.
        assertEquals("1", render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}"));
        fails("{% set d = {} %}\n{% set d.x = 1 %}", 2, "cannot assign attribute");
    }

    @Test
    void withBlock() {
        assertEquals("1-x|outer", render("{% set b = 'outer' %}{% with a = 1, b = 'x' %}{{ a }}-{{ b }}{% endwith %}|{{ b }}"));
        fails("{% with a = 1 %}\n{% endwith %}{{ a }}", 2, "'a' is undefined");
    }

    @Test
    void blockSet() {
        assertEquals("[a1]", render("{% set x %}a{{ 1 }}{% endset %}[{{ x }}]"));
    }

    // ---- expressions -------------------------------------------------------------------------

    @Test
    void slicing() {
        assertEquals("abcd|bcdef|fedcba|[2, 3]|[3, 2, 1]|ef|ace|bc",
                render("{{ 'abcdef'[:4] }}|{{ 'abcdef'[1:] }}|{{ 'abcdef'[::-1] }}|{{ [1, 2, 3, 4][1:3] }}|"
                        + "{{ [1, 2, 3][::-1] }}|{{ 'abcdef'[-2:] }}|{{ 'abcdef'[::2] }}|{% set s = 'abcd' %}{{ s[1:3] }}"));
    }

    @Test
    void stringFormatting() {
        assertEquals("00007|a-b|3.14|ab  ||50%|x-1|   ab|1|+3|0x1f",
                render("{{ '%05d' | format(7) }}|{{ '%s-%s' % ('a', 'b') }}|{{ '%.2f' % 3.14159 }}|{{ '%-4s|' % 'ab' }}|"
                        + "{{ '%d%%' % 50 }}|{{ '{}-{}'.format('x', 1) }}|{{ '{:>5}'.format('ab') }}|{{ '%(a)s' % {'a': 1} }}|"
                        + "{{ '%+d' % 3 }}|{{ '%#x' % 31 }}"));
        assertEquals("a1", render("{{ 'a{x}'.format(x=1) }}"));
        fails("\n{{ '%d' % 'x' }}", 2, "a number is required");
        fails("{{ '%s %s' % ('a',) }}", 1, "not enough arguments");
    }

    @Test
    void pythonArithmetic() {
        assertEquals("3.5|3|-4|1|2|1024|abab|[1, 2]|xAB|3.0",
                render("{{ 7 / 2 }}|{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}|{{ 2 ** 10 }}|{{ 'ab' * 2 }}|"
                        + "{{ [1] + [2] }}|{{ 'x' ~ 'ab' | upper }}|{{ 6 / 2 }}"));
        fails("\n\n{{ 'a' + 1 }}", 3, "unsupported operand type(s) for +: 'str' and 'int'");
        fails("{{ 1 / 0 }}", 1, "division by zero");
    }

    @Test
    void tests() {
        assertEquals("True True True True True True False True True True True False",
                render("{{ 'a' is string }} {{ 1 is number }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} "
                        + "{{ none is none }} {{ x is defined }} {{ 3 is divisibleby(3) }} {{ 1 is integer }} {{ 1.5 is float }} "
                        + "{{ x is undefined }} {{ 'a' is not string }}"));
    }

    // ---- macros ------------------------------------------------------------------------------

    @Test
    void macrosNamedLikePebbleKeywords() {
        assertEquals("True|c", render("{{ equals(1, 1) }}|{% set contains = 'c' %}{{ contains }}"));
    }

    @Test
    void varargsKwargsAndSplats() {
        assertEquals("1[2, 3]{'k': 'v'}", render("{{ spread(1, 2, 3, k='v') }}"));
        assertEquals("1234", render("{{ two(*[1, 2]) }}{{ two(**{'a': 3, 'b': 4}) }}"));
        fails("\n{{ strict(1, 2) }}", 2, "macro 'strict' takes not more than 1 argument(s)");
        fails("{{ strict(1, b=2) }}", 1, "macro 'strict' takes no keyword argument 'b'");
        CompilationException e = assertThrows(CompilationException.class, () -> new TemplateEngine(List.of(
                new MacroFile(Path.of("macros/x.sql"), "\n{% macro m(*args) %}{% endmacro %}"))));
        assertTrue(e.getMessage().contains("varargs"), e.getMessage());
        assertEquals(2, e.location().orElseThrow().line());
    }

    @Test
    void callingWhatAnExpressionGives() {
        Map<String, TemplateFunction> fns = new HashMap<>();
        fns.put("pick", (a, kw) -> (TemplateFunction) (a2, kw2) -> a.get(0) + ":" + a2.get(0) + kw2);
        assertEquals("x:y{k=1}", render("{{ pick('x')('y', k=1) }}", fns));
    }

    // ---- loops -------------------------------------------------------------------------------

    @Test
    void loopVariable() {
        assertEquals("1032TrueFalse3o;2121FalseFalse3e;3210FalseTrue3o;",
                render("{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
                        + "{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.cycle('o', 'e') }};{% endfor %}"));
        assertEquals(">1<2 1>2<3 2>3< ", render("{% for x in [1, 2, 3] %}{{ loop.previtem }}>{{ x }}<{{ loop.nextitem }} {% endfor %}"));
        fails("{% for x in [1] %}\n{{ loop.nope }}{% endfor %}", 2, "has no attribute 'nope'");
        fails("\n{{ loop.index }}", 2, "'loop' is undefined");
    }

    @Test
    void loopControlsFiltersElseAndDicts() {
        assertEquals("02", render("{% for i in range(10) %}{% if i == 3 %}{% break %}{% endif %}"
                + "{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}"));
        assertEquals("0,2,4", render("{% for i in range(6) if i is even %}{{ i }}{{ ',' if not loop.last }}{% endfor %}"));
        assertEquals("empty", render("{% for i in [] %}x{% else %}empty{% endfor %}"));
        assertEquals("ab|a=1;b=2;", render("{% set d = {'a': 1, 'b': 2} %}{% for k in d %}{{ k }}{% endfor %}|"
                + "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"));
        fails("{% for x in xs recursive %}{% endfor %}", 1, "recursive loops are not supported");
        fails("\n{% break %}", 2, "{% break %} outside a loop");
    }

    // ---- filters and whitespace --------------------------------------------------------------

    @Test
    void filtersWithJinjasArguments() {
        assertEquals("['a', 'b']|[1, 3]|[2]|['x']|a,b|    x\n    y|[('a', 2), ('b', 1)]|[[1, 2], [3]]|2|True",
                render("{{ ['A', 'B'] | map('lower') | list }}|{{ [1, 2, 3] | select('odd') | list }}|"
                        + "{{ [1, 2, 3] | reject('odd') | list }}|"
                        + "{{ [{'n': 'x', 'on': true}, {'n': 'y', 'on': false}] | selectattr('on') | map(attribute='n') | list }}|"
                        + "{{ ['a', 'b'] | join(d=',') }}|{{ 'x\ny' | indent(4, first=True) }}|{{ {'b': 1, 'a': 2} | dictsort }}|"
                        + "{{ [1, 2, 3] | batch(2) | list }}|{{ 'a b' | wordcount }}|{{ 'true' | as_bool }}"));
        assertEquals("True|False", render("{{ 6 is divisibleby 3 }}|{{ 1 is sameas false }}"));
        String rows = "[{'k': 'b', 'v': 1}, {'k': 'a', 'v': 2}, {'k': 'b', 'v': 3}]";
        assertEquals("a=2;b=1,3;|a:1;b:2;", render("{% for g, items in " + rows + " | groupby('k') %}{{ g }}="
                + "{{ items | map(attribute='v') | join(',') }};{% endfor %}|{% for grp in " + rows + " | groupby('k') %}"
                + "{{ grp.grouper }}:{{ grp.list | length }};{% endfor %}"));
        assertEquals("True|False|True|[2]", render("{{ 'a' is in ['a'] }}|{{ 'a' is not in 'abc' }}|{{ 3 is not in [1, 2] }}|"
                + "{{ [1, 2] | select('in', [2, 3]) | list }}"));
        fails("\n{{ 'a' | abbreviate(1) }}", 2, "unknown filter 'abbreviate'");
        fails("{{ ['a'] | join(sep=',') }}", 1, "unexpected keyword argument 'sep'");
        fails("{{ [] is empty }}", 1, "unknown test 'empty'");
    }

    @Test
    void filterBlock() {
        assertEquals("ABCD|bbb", render("{% filter upper %}abc{{ 'd' }}{% endfilter %}|{% filter replace('a', 'b') %}aaa{% endfilter %}"));
    }

    @Test
    void whitespaceControl() {
        assertEquals("abc", render("a\n{%- if true -%}\n  b\n{%- endif -%}\n c"));
        assertEquals("axb", render("a  {{- 'x' -}}  b"));
        assertEquals("\nx\n\n", render("{% if true %}\nx\n{% endif %}\n"));
        assertEquals("ab", render("a {#- c -#} b"));
        assertEquals("a\n  1 2 \nb", render("a\n  {% for i in [1, 2] %}{{ i }} {% endfor %}\nb"));
    }

    // ---- strictness: nothing undefined renders as '' -----------------------------------------

    @Test
    void undefinedThingsAreErrorsWithFileAndLine() {
        fails("select\n  {{ dbt_utils.generate_surrogate_key(['id']) }}", 2, "'dbt_utils' is undefined");
        fails("select {{ no_such_thing }}", 1, "'no_such_thing' is undefined");
        fails("{% if true %}\n\n{{ undefined_obj.method('x') }}{% endif %}", 3, "'undefined_obj' is undefined");
        fails("{{ {'a': 1}.b }}", 1, "'dict object' has no attribute 'b'");
        fails("{{ 'abc'.nosuch() }}", 1, "'str object' has no attribute 'nosuch'");
        fails("{{ [1, 2][5] }}", 1, "list index 5 out of range");
        fails("{% set x = none %}\n{{ x.y }}", 2, "'x' is none");
        fails("{{ nope_macro('a') }}", 1, "'nope_macro' is undefined");
        fails("{% macro inner() %}{% endmacro %}\n{{ caller() }}", 2, "'caller' is undefined");
        assertEquals("fallback|no", render("{{ missing | default('fallback') }}|{{ 'yes' if missing is defined else 'no' }}"));
    }

    @Test
    void contextIsTheRendersOwnMappingAndDbtsRaisersRaise() {
        // dbt's `context`: what a bare name would find, macros included; the rest of dbt's context is in
        // cli.DbtContextConstructsTest.
        assertEquals("12|True|True|False", render("{{ context['two'](1, 2) }}|{{ 'two' in context }}|"
                + "{{ context.get('nope') is none }}|{{ 'nope' in context }}"));
        fails("\n{{ exceptions.raise_not_implemented('no variant') }}", 2, "Not implemented: no variant");
        fails("{{ exceptions.raise_database_error('gone') }}", 1, "Database Error: gone");
    }

    @Test
    void tuplesPrintAsPythonPrintsThem() {
        // dbt projects write `where x in {{ ('a', 'b') }}`: the tuple must print as SQL's list does.
        assertEquals("(1, 2)|('a',)|[('a', 1)]|[(1, 'x')]|True|a,b|2",
                render("{{ (1, 2) }}|{{ ('a',) }}|{{ {'a': 1}.items() | list }}|{{ zip([1], ['x']) | list }}|"
                        + "{{ 'a' in ('a', 'b') }}|{{ ('a', 'b') | join(',') }}|{% set a, b = (1, 2) %}{{ b }}"));
    }

    @Test
    void timeZonesPrintAsPythonPrintsThem() {
        // str(pytz.utc) and str(datetime.timezone.utc) are 'UTC' in Python; Java's zero offset prints 'Z'.
        assertEquals("UTC|UTC|UTC|Europe/Paris", render("{{ modules.pytz.timezone('UTC') }}|{{ modules.pytz.utc.zone }}|"
                + "{{ modules.datetime.timezone.utc }}|{{ modules.pytz.timezone('Europe/Paris') }}"));
    }

    @Test
    void unsupportedSyntaxIsAnErrorWithFileAndLine() {
        fails("select 1\n{% include 'other.sql' %}", 2, "{% include %} is not supported");
        fails("{% import 'm.sql' as m %}", 1, "{% import %} is not supported");
        fails("\n\n{% frobnicate %}", 3, "unknown tag {% frobnicate %}");
        fails("{{ [x for x in y] }}", 1, "comprehensions are Python, not Jinja");
        fails("\n{% call x.y() %}{% endcall %}", 2, "{% call %} must call a macro by its name");
        fails("{% set x + 1 %}a{% endset %}", 1, "block form takes one name or one namespace attribute");
        fails("{% endif %}", 1, "endif");
    }
}
