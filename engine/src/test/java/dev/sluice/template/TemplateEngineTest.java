package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.error.CompilationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {

    static final Path MODEL = Path.of("models/m.sql");

    public record Relation(String database, String schema, String identifier) {
        @Override
        public String toString() {
            return database + "." + schema + "." + identifier;
        }
    }

    static TemplateEngine engine(String... macroSources) {
        List<MacroFile> files = new ArrayList<>();
        for (int k = 0; k < macroSources.length; k++) {
            files.add(new MacroFile(Path.of("macros/m" + k + ".sql"), macroSources[k]));
        }
        return new TemplateEngine(files);
    }

    static String render(String src) {
        return engine().render(MODEL, src, Map.of(), Map.of());
    }

    static String render(String src, Map<String, Object> vars) {
        return engine().render(MODEL, src, vars, Map.of());
    }

    /** Functions a dbt compiler would supply; config records its kwargs into the given map. */
    static Map<String, TemplateFunction> dbtFunctions(Map<String, Object> configSink) {
        Map<String, TemplateFunction> f = new HashMap<>();
        f.put("ref", (a, kw) -> "main." + a.get(a.size() - 1));
        f.put("source", (a, kw) -> "raw_" + a.get(0) + "." + a.get(1));
        f.put("var", (a, kw) -> a.get(0).equals("known") ? "v" : (a.size() > 1 ? a.get(1) : null));
        f.put("config", (a, kw) -> {
            configSink.putAll(kw);
            return "";
        });
        f.put("is_incremental", (a, kw) -> Boolean.TRUE);
        f.put("env_var", (a, kw) -> a.size() > 1 ? a.get(1) : "");
        return f;
    }

    // ---- dbt functions -------------------------------------------------------------------

    @Test
    void refAndSource() {
        String out = engine().render(MODEL, "select * from {{ ref('orders') }} join {{ source('raw', 'orders') }}",
                Map.of(), dbtFunctions(new HashMap<>()));
        assertEquals("select * from main.orders join raw_raw.orders", out);
    }

    @Test
    void varWithDefault() {
        String out = engine().render(MODEL, "{{ var('x', 'default') }}|{{ var('known') }}", Map.of(),
                dbtFunctions(new HashMap<>()));
        assertEquals("default|v", out);
    }

    @Test
    void configNamedArgumentsWithListLiteralsReachKwargs() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        List<Object> seenArgs = new ArrayList<>();
        Map<String, TemplateFunction> f = dbtFunctions(cfg);
        f.put("config", (a, kw) -> {
            seenArgs.addAll(a);
            cfg.putAll(kw);
            return "";
        });
        String out = engine().render(MODEL,
                "{{ config('pos', materialized='table', unique_key=['a','b'], tags=['x'], meta={'k': 1}) }}select 1",
                Map.of(), f);
        assertEquals("select 1", out);
        assertEquals(List.of("pos"), seenArgs);
        assertEquals(List.of("materialized", "unique_key", "tags", "meta"), new ArrayList<>(cfg.keySet()));
        assertEquals("table", cfg.get("materialized"));
        assertEquals(List.of("a", "b"), cfg.get("unique_key"));
        assertEquals(List.of("x"), cfg.get("tags"));
        assertEquals(Map.of("k", 1L), cfg.get("meta"));
    }

    @Test
    void isIncremental() {
        String src = "select 1{% if is_incremental() %} where x > 0{% endif %}";
        assertEquals("select 1 where x > 0", engine().render(MODEL, src, Map.of(), dbtFunctions(new HashMap<>())));
        Map<String, TemplateFunction> f = dbtFunctions(new HashMap<>());
        f.put("is_incremental", (a, kw) -> false);
        assertEquals("select 1", engine().render(MODEL, src, Map.of(), f));
    }

    @Test
    void envVar() {
        assertEquals("x", engine().render(MODEL, "{{ env_var('HOME', 'x') }}", Map.of(), dbtFunctions(new HashMap<>())));
    }

    @Test
    void thisRecordAndTargetMap() {
        Map<String, Object> vars = Map.of("this", new Relation("db", "analytics", "orders"),
                "target", Map.of("name", "dev", "schema", "s"));
        assertEquals("db.analytics.orders analytics dev s",
                render("{{ this }} {{ this.schema }} {{ target.name }} {{ target['schema'] }}", vars));
    }

    // ---- control flow and expressions ----------------------------------------------------

    @Test
    void ifElifElse() {
        String src = "{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}";
        assertEquals("one", render(src, Map.of("x", 1)));
        assertEquals("two", render(src, Map.of("x", 2)));
        assertEquals("many", render(src, Map.of("x", 3)));
    }

    @Test
    void pythonLiterals() {
        assertEquals("True False None yes", render("{{ True }} {{ False }} {{ None }} {% if True and not False %}yes{% endif %}"));
    }

    @Test
    void noneTests() {
        String src = "{% if x is none %}n{% endif %}{% if y is not none %}y{% endif %}{% if x is None %}N{% endif %}";
        Map<String, Object> vars = new HashMap<>();
        vars.put("x", null);
        vars.put("y", 3);
        assertEquals("nyN", render(src, vars));
    }

    @Test
    void isDefined() {
        assertEquals("d u", render("{% if a is defined %}d{% endif %} {% if b is not defined %}u{% endif %}", Map.of("a", 1)));
    }

    @Test
    void membership() {
        String src = "{{ 'a' in ['a','b'] }} {{ 'z' in ['a'] }} {{ 'ell' in 'hello' }} {{ 'k' in m }} "
                + "{{ 'q' not in m }} {{ 2 not in [1, 2] }} {% if x in ('p', 'q') %}tuple{% endif %}";
        assertEquals("True False True True True False tuple", render(src, Map.of("m", Map.of("k", 1), "x", "q")));
    }

    @Test
    void booleanOperatorsAndNotPrecedence() {
        assertEquals("A|B|ok|ok", render("{{ a or 'x' }}|{{ '' or 'B' }}|{% if not 'z' in ['a'] %}ok{% endif %}|"
                + "{% if (1 == 1 and 2 == 2) or false %}ok{% endif %}", Map.of("a", "A")));
    }

    @Test
    void tildeConcatenation() {
        assertEquals("a_1", render("{{ 'a' ~ '_' ~ n }}", Map.of("n", 1)));
    }

    @Test
    void setExpressionAndBlock() {
        String src = "{% set x = 'v' ~ 1 %}{% set block %}\nselect {{ x }}\n{% endset %}[{{ block | trim }}]";
        assertEquals("[select v1]", render(src));
    }

    @Test
    void blockSetOfNamespaceAttributeAndWithFilters() {
        String ns = "{% set ns = namespace(msg='none', n=0) %}{% set ns.msg %}\n  keys: {{ 1 + 1 }}\n{% endset %}"
                + "[{{ ns.msg | trim }}]{% set up | upper | trim %} shout {% endset %}<{{ up }}>";
        assertEquals("[keys: 2]<SHOUT>", render(ns));
        // Nested block sets: each endset closes the innermost one.
        assertEquals("a(b)|b", render("{% set ns = namespace(x='') %}{% set ns.x %}a({% set y %}b{% endset %}{{ y }}){% endset %}"
                + "{{ ns.x }}|{{ y }}"));
    }

    @Test
    void pythonRegexBracesThatAreNotQuantifiersAreLiteral() {
        assertEquals("aY|Ba", render("{{ modules.re.sub('{x', 'Y', 'a{x') }}|{{ modules.re.sub('a{2}', 'B', 'aaa') }}"));
        // Python's group references in the replacement: \g<1> (codegen's import CTEs), \1, \g<name>, $ literal.
        assertEquals("b-a0 $x", render("{{ modules.re.sub('(a)(b)', '\\g<2>-\\g<1>0', 'ab') }} {{ modules.re.sub('(?P<w>x)', '$\\g<w>', 'x') }}"));
    }

    @Test
    void adjacentStringLiteralsJoin() {
        assertEquals("run a.sh \"x\" now", render("{% set s = \"run a.sh \"\"\"~ n ~\"\"\" now\" %}{{ s }}", Map.of("n", "\"x\"")));
        assertEquals("ab", render("{{ 'a' 'b' }}"));
    }

    @Test
    void tupleWithoutParenthesesAndNonePrinting() {
        assertEquals("1-2", render("{% set a, b = 1, 2 %}{{ a }}-{{ b }}"));
        assertEquals("2x", render("{% set t = 1, 'x' %}{{ t | length }}{{ t[1] }}"));
        // Jinja prints None as 'None', an if without else as nothing.
        assertEquals("None|aNone||", render("{{ none }}|{{ 'a' ~ none }}|{{ 1 if false }}|{{ x if x }}", Map.of("x", "")));
    }

    @Test
    void forLoopVariables() {
        String src = "{% for c in cols %}{{ loop.index }}/{{ loop.index0 }}{% if loop.first %}F{% endif %}"
                + "{% if loop.last %}L{% endif %}:{{ c }}{% if not loop.last %},{% endif %}{% endfor %}";
        assertEquals("1/0F:a,2/1:b,3/2L:c", render(src, Map.of("cols", List.of("a", "b", "c"))));
    }

    @Test
    void forOverDictItems() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", 2);
        assertEquals("a=1;b=2;", render("{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}", Map.of("m", m)));
        assertEquals("z=9;y=8;", render("{% for k, v in {'z': 9, 'y': 8}.items() %}{{ k }}={{ v }};{% endfor %}"));
    }

    @Test
    void doAppend() {
        assertEquals("a,b,c", render("{% set l = ['a'] %}{% do l.append('b') %}{% do l.append('c') %}{{ l | join(',') }}"));
    }

    @Test
    void rawBlockIsVerbatim() {
        assertEquals("{{ not_rendered }} {% if %}", render("{% raw %}{{ not_rendered }} {% if %}{% endraw %}"));
    }

    @Test
    void commentsAndWhitespaceControl() {
        String src = "select\n{#- comment -#}\n  {%- if true %}\n  a\n  {%- endif %}\nfrom t";
        assertEquals("select\n  a\nfrom t", render(src));
    }

    @Test
    void newlineAfterTagIsKept() {
        assertEquals("\nx\n", render("{% if true %}\nx\n{% endif %}"));
    }

    @Test
    void undefinedIsAnErrorButDefinedAndDefaultSeeIt() {
        CompilationException e = assertThrows(CompilationException.class, () -> render("[\n{{ nope }}]"));
        assertTrue(e.getMessage().contains("'nope' is undefined"), e.getMessage());
        assertEquals(2, e.location().orElseThrow().line());
        assertEquals("[no|x|True]", render("[{{ 'yes' if nope is defined else 'no' }}|{{ nope | default('x') }}|{{ nope is undefined }}]"));
    }

    @Test
    void aNameSetOnSomePathsIsJinjaUndefinedOnTheOthers() {
        // dbt-codegen's tests: set under {% if execute %}, then passed to a macro, compared, filtered, printed.
        TemplateEngine e = engine("{% macro show(v, other) %}[{{ v }}|{{ v is defined }}|{{ 'T' if v else 'F' }}"
                + "|{{ v == other }}|{{ v != other }}|{{ v | default('d') }}|{{ v | length }}|{{ v is none }}]{% endmacro %}");
        String src = "{% if flag %}{% set x = ['a'] %}{% endif %}{{ show(x, ['a']) }}"
                + "{% for i in x %}<{{ i }}>{% endfor %}{{ x | join(',') }}{% set y = x ~ 'z' %}{{ y }}";
        assertEquals("[|False|F|False|True|d|0|False]z", e.render(MODEL, src, Map.of("flag", false), Map.of()));
        assertEquals("[['a']|True|T|True|False|['a']|1|False]<a>a['a']z", e.render(MODEL, src, Map.of("flag", true), Map.of()));
        // A name the template never sets stays an error, and so does an attribute of an unset one.
        assertThrows(CompilationException.class, () -> e.render(MODEL, "{{ show(typo, 1) }}", Map.of(), Map.of()));
        assertThrows(CompilationException.class, () -> e.render(MODEL,
                "{% if false %}{% set x = 1 %}{% endif %}{{ x.attr }}", Map.of(), Map.of()));
    }

    @Test
    void inlineIfExpression() {
        assertEquals("yes no", render("{{ 'yes' if a else 'no' }} {{ 'yes' if b else 'no' }}", Map.of("a", true, "b", List.of())));
    }

    // ---- filters and methods -------------------------------------------------------------

    @Test
    void stringFilters() {
        assertEquals("A,B|ab|x|3|dflt|a-c|ABC", render("{{ ['A','B'] | join(',') }}|{{ 'AB' | lower }}|{{ '  x ' | trim }}|"
                + "{{ 'abc' | length }}|{{ missing | default('dflt') }}|{{ 'abc' | replace('b', '-') }}|{{ 'abc' | upper }}"));
    }

    @Test
    void conversionFilters() {
        assertEquals("['a', 'b']|5|42|2.5|3.14|3", render("{{ 'ab' | list }}|{{ 5 | string }}|{{ '42' | int }}|{{ '2.5' | float }}|"
                + "{{ 3.14159 | round(2) }}|{{ -3 | abs }}"));
    }

    @Test
    void firstLastSortUnique() {
        Map<String, Object> v = Map.of("l", List.of(3, 1, 2, 1));
        assertEquals("3", render("{{ l | first }}", v));
        assertEquals("1", render("{{ l | last }}", v));
        assertEquals("[1, 1, 2, 3]", render("{{ l | sort }}", v));
        assertEquals("[3, 1, 2]", render("{{ l | unique }}", v));
        assertEquals("[3, 2, 1, 1]", render("{{ l | sort(reverse=true) }}", v));
    }

    @Test
    void stringMethods() {
        String src = "{{ s.upper() }}|{{ s.lower() }}|{{ ' p '.strip() }}|{{ 'a,b'.split(',') | length }}|"
                + "{{ 'a.b'.split('.')[1] }}|{{ s.replace('B', 'x') }}|{{ s.startswith('aB') }}|{{ s.endswith('z') }}";
        assertEquals("ABC|abc|p|2|b|axc|True|False", render(src, Map.of("s", "aBc")));
    }

    @Test
    void dictMethods() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", 2);
        assertEquals("1|none|['a', 'b']|2", render("{{ m.get('a') }}|{{ m.get('z', 'none') }}|{{ m.keys() | list }}|{{ m.items() | length }}",
                Map.of("m", m)));
    }

    @Test
    void escapesInStringLiterals() {
        assertEquals("a,\nb", render("{{ ['a','b'] | join(',\\n') }}"));
        assertEquals("it's \"q\"", render("{{ \"it's\" }} {{ '\"q\"' }}"));
    }

    // ---- macros --------------------------------------------------------------------------

    @Test
    void macrosAreVisibleEverywhereAndCallEachOther() {
        TemplateEngine e = engine(
                "{% macro cents_to_dollars(col, scale=2) -%}\n  round({{ col }} / 100, {{ scale }})\n{%- endmacro %}",
                "{% macro money(col) %}{{ cents_to_dollars(col, scale=4) }}{% endmacro %}");
        assertEquals("select round(amount / 100, 2), round(x / 100, 4)",
                e.render(MODEL, "select {{ cents_to_dollars('amount') }}, {{ money('x') }}", Map.of(), Map.of()));
    }

    @Test
    void macroDefaultsKeywordArgsAndKwargs() {
        TemplateEngine e = engine("{% macro m(a, b='B', c=None) %}{{ a }}-{{ b }}-{{ c is none }}-{{ kwargs.get('extra', '') }}{% endmacro %}");
        assertEquals("1-B-True-|1-2-False-|x-B-True-e",
                e.render(MODEL, "{{ m(1) }}|{{ m(1, 2, c=3) }}|{{ m(b='B', a='x', extra='e') }}", Map.of(), Map.of()));
    }

    @Test
    void macroSeesVariablesAndPerRenderFunctions() {
        TemplateEngine e = engine("{% macro where_schema() %}{{ target.name }}:{{ this.schema }}:{{ ref('x') }}{% endmacro %}");
        Map<String, Object> vars = Map.of("target", Map.of("name", "prod"), "this", new Relation("d", "s", "t"));
        assertEquals("prod:s:main.x", e.render(MODEL, "{{ where_schema() }}", vars, dbtFunctions(new HashMap<>())));
    }

    @Test
    void returnGivesTheMacroAValue() {
        TemplateEngine e = engine("""
                {% macro cols() %}
                  {{ return(['a', 'b']) }}
                {% endmacro %}
                {% macro settings() %}{% do return({'k': 'v'}) %}{% endmacro %}
                {% macro name() %}{{ return('n' ~ 1) }}{% endmacro %}
                """);
        assertEquals("a|b|2|v|n1", e.render(MODEL,
                "{% set c = cols() %}{{ c | join('|') }}|{{ c | length }}|{{ settings()['k'] }}|{{ name() }}", Map.of(), Map.of()));
    }

    @Test
    void raiseCompilerError() {
        CompilationException ex = assertThrows(CompilationException.class,
                () -> render("select 1\n{% if true %}\n  {{ exceptions.raise_compiler_error('bad config') }}\n{% endif %}"));
        assertEquals("bad config", ex.getMessage());
        assertEquals(MODEL, ex.location().orElseThrow().file());
        assertEquals(3, ex.location().orElseThrow().line());
    }

    @Test
    void logRendersNothing() {
        assertEquals("ab", render("a{{ log('x', info=True) }}b"));
    }

    @Test
    void macroDefinedInTheTemplateItself() {
        assertEquals("\nhi bob", render("{% macro greet(n) %}hi {{ n }}{% endmacro %}\n{{ greet('bob') }}"));
    }

    @Test
    void rangeFunction() {
        assertEquals("0,1,2", render("{{ range(3) | join(',') }}"));
    }

    // ---- snapshot and docs blocks --------------------------------------------------------

    @Test
    void snapshotBlocks() {
        String src = "-- header\n{% snapshot orders_snap %}\n{{ config(unique_key='id') }}\nselect 1\n{% endsnapshot %}\n";
        List<SnapshotBlock> blocks = TemplateEngine.snapshotBlocks(Path.of("snapshots/s.sql"), src);
        assertEquals(1, blocks.size());
        assertEquals("orders_snap", blocks.get(0).name());
        assertEquals("\n{{ config(unique_key='id') }}\nselect 1\n", blocks.get(0).body());
        assertEquals(2, blocks.get(0).line());
    }

    @Test
    void docsBlocks() {
        Map<String, String> docs = TemplateEngine.docsBlocks(Path.of("models/docs.md"),
                "{% docs orders %}\nOne row per order.\n{% enddocs %}\n\n{% docs customers %}All customers{% enddocs %}");
        assertEquals(Map.of("orders", "One row per order.", "customers", "All customers"), docs);
    }

    /**
     * The engine splits the generic tests' file at its first construction and the other built-in files only when
     * asked (TemplateEngine.Internal); that finds what one list of all three would find only if none of the others
     * redefines a name of the tests' file or defines a test.
     */
    @Test
    void builtInFilesAfterTheTestsFileRedefineNoneOfItsNamesAndDefineNoTest() {
        List<MacroExtractor.MacroDef> all = TemplateEngine.internalMacros();
        List<MacroExtractor.MacroDef> tests = TemplateEngine.internalTestMacros();
        assertEquals(tests, all.subList(0, tests.size()));
        assertTrue(all.size() > tests.size() + 100, "the other files hold most macros: " + all.size());
        java.util.Set<String> testFileNames = new java.util.HashSet<>();
        for (MacroExtractor.MacroDef d : tests) testFileNames.add(d.name());
        for (MacroExtractor.MacroDef d : all.subList(tests.size(), all.size())) {
            assertTrue(!testFileNames.contains(d.name()), d.name() + " in " + d.file() + " is also in the tests' file");
            assertTrue(!d.name().startsWith("test_"), d.name() + " in " + d.file() + " is a test outside the tests' file");
        }
    }

    /** Every built-in macro's digest is that of its last definition in the three files; a dbt package file's wins. */
    @Test
    void builtInMacroDigestsAreThoseOfTheWholeList() {
        Map<String, MacroExtractor.MacroDef> last = new HashMap<>();
        for (MacroExtractor.MacroDef d : TemplateEngine.internalMacros()) last.put(d.name(), d);
        TemplateEngine e = engine();
        for (MacroExtractor.MacroDef d : last.values()) {
            assertEquals(JinjaRuntime.digest(d), e.macroDigest("dbt", d.name()), d.name());
        }
        assertEquals(null, e.macroDigest("dbt", "no_such_macro"));
        String own = "{% macro date_trunc(datepart, date) %}trunc({{ date }}){% endmacro %}";
        TemplateEngine replaced = new TemplateEngine(List.of(new MacroFile(Path.of("dbt/macros/d.sql"), own, "dbt")));
        assertEquals(JinjaRuntime.digest(MacroExtractor.extract(Path.of("dbt/macros/d.sql"), own).macros().get(0)),
                replaced.macroDigest("dbt", "date_trunc"));
        assertTrue(last.containsKey("date_trunc"), "date_trunc is a built-in");
        assertEquals("trunc(x)", replaced.render(MODEL, "{{ dbt.date_trunc('day', 'x') }}", Map.of(), Map.of()).strip());
        assertEquals(JinjaRuntime.digest(last.get("test_not_null")), replaced.macroDigest("dbt", "test_not_null"));
    }

    @Test
    void aTemplateRenderedOnceGivesWhatAKeptOneGivesAndFailsAlike() {
        // renderOnce does not keep the compiled template (a node's parse render); nothing else may differ.
        TemplateEngine e = engine("{% macro twice(x) %}({{ x }} * {{ var('known') }}){% endmacro %}");
        String src = "{% macro local(y) %}<{{ y }}>{% endmacro %}{{ config(materialized='view') }}"
                + "select {{ twice('a') }}, {{ local('b') }} from {{ ref('m1') }} {% if execute %}x{% endif %}";
        Map<String, Object> vars = Map.of("execute", false);
        for (int round = 0; round < 2; round++) {
            Map<String, Object> configOnce = new LinkedHashMap<>();
            Map<String, Object> configKept = new LinkedHashMap<>();
            RenderTrace once = new RenderTrace();
            RenderTrace kept = new RenderTrace();
            String a = e.renderOnce(MODEL, src, vars, dbtFunctions(configOnce), null, once);
            String b = e.render(MODEL, src, vars, dbtFunctions(configKept), null, kept);
            assertEquals("select (a * v), <b> from main.m1 ", a);
            assertEquals(b, a);
            assertEquals(configKept, configOnce);
            assertEquals(Map.of("materialized", "view"), configOnce);
            assertEquals(kept.variablesRead(), once.variablesRead());
            assertTrue(once.variablesRead().contains("execute"), once.variablesRead().toString());
            assertEquals(kept.macrosCalled(), once.macrosCalled());
            assertTrue(once.macrosCalled().containsKey(".twice"), once.macrosCalled().toString());
        }
        String bad = "select 1\n{% if %}";
        CompilationException once = assertThrows(CompilationException.class, () -> e.renderOnce(MODEL, bad, vars, Map.of(), null, null));
        CompilationException kept = assertThrows(CompilationException.class, () -> e.render(MODEL, bad, vars, Map.of(), null, null));
        assertEquals(kept.getMessage(), once.getMessage());
        assertEquals(kept.location(), once.location());
    }
}
