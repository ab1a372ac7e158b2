package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders dbt-style Jinja templates with Pebble. Macros from the given files are callable from
 * every template without an import; errors are {@link CompilationException}s naming the file and
 * line. Instances are immutable after construction and safe to share between threads.
 */
public final class TemplateEngine {
    /** How many templates this engine rendered: a compile that rendered none is a function of its files alone. */
    private final java.util.concurrent.atomic.LongAdder renders = new java.util.concurrent.atomic.LongAdder();


    /**
     * dbt's internal macros, written for this engine: generic tests, cross-database macros, helpers. Read and
     * split into macros once per process (on first use, in holders): every engine of a command shares them. The
     * generic tests are read at the first engine (their names are what schema files' tests are checked against);
     * the other files, nine tenths of the text, only when something renders or looks a macro up that the tests'
     * file does not define: a command served by the parse cache (ls) then never splits them. This finds the same
     * macro as one list of all three files would because no name is defined in two of them and only the tests'
     * file defines tests (TemplateEngineTest checks both).
     */
    private static final class Internal {
        static final List<MacroExtractor.MacroDef> TESTS = read("generic_tests.sql");
        static final Map<String, MacroExtractor.MacroDef> TESTS_BY_NAME = byName(TESTS);

        private static List<MacroExtractor.MacroDef> read(String... files) {
            List<MacroExtractor.MacroDef> out = new ArrayList<>();
            for (String builtin : files) {
                // Built-in macros are named sluice-builtin/<file> in error messages.
                out.addAll(MacroExtractor.extract(Path.of(JinjaRuntime.BUILTIN_FOLDER, builtin), resource(builtin)).macros());
            }
            return List.copyOf(out);
        }

        /** By name; a later definition of a name replaces an earlier one, as JinjaRuntime keeps them. */
        private static Map<String, MacroExtractor.MacroDef> byName(List<MacroExtractor.MacroDef> defs) {
            Map<String, MacroExtractor.MacroDef> named = new HashMap<>();
            for (MacroExtractor.MacroDef d : defs) named.put(d.name(), d);
            return Collections.unmodifiableMap(named);
        }
    }

    /** The rest of dbt's internal macros, split at first use (see Internal). */
    private static final class Rest {
        static final List<MacroExtractor.MacroDef> MACROS = Internal.read("cross_database.sql", "adapter_macros.sql");
        static final Map<String, MacroExtractor.MacroDef> BY_NAME = Internal.byName(MACROS);
        /** The three files in their order, as the template runtime compiles them. */
        static final List<MacroExtractor.MacroDef> ALL = concat(Internal.TESTS, MACROS);
    }

    private static List<MacroExtractor.MacroDef> concat(List<MacroExtractor.MacroDef> a, List<MacroExtractor.MacroDef> b) {
        List<MacroExtractor.MacroDef> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** Pebble and the macros compiled: built at first use, since a command served by the parse cache renders nothing. */
    private volatile JinjaRuntime runtime;
    private final String root;
    /**
     * Macros by package, the internal package first; its list holds only macro files given for that package (none
     * in a project), which come after dbt's own (see runtime()).
     */
    private final Map<String, List<MacroExtractor.MacroDef>> definitions;
    private final TemplateSettings settings;
    /** Macro text digests by package then name, read without compiling anything (see macroDigest). */
    private final Map<String, Map<String, MacroExtractor.MacroDef>> byName = new HashMap<>();
    private final Map<MacroExtractor.MacroDef, String> digests = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> genericTests;
    /** The project's and installed packages' macro names by package (dbt's own left out): what run-operation finds. */
    private final Map<String, Set<String>> userMacros;

    public TemplateEngine(List<MacroFile> macroFiles) {
        this(macroFiles, (String) null);
    }

    /**
     * @param macroFiles  the macro files of the project and of its installed packages
     * @param rootProject name of the project being run: its macros override dbt's own, and a file without
     *                    a package belongs to it
     */
    public TemplateEngine(List<MacroFile> macroFiles, String rootProject) {
        this(macroFiles, new TemplateSettings(rootProject, "default", Map.of()));
    }

    /** @param settings the project's name, the adapter type and the dispatch search orders */
    public TemplateEngine(List<MacroFile> macroFiles, TemplateSettings settings) {
        String root = settings.rootPackage() == null ? "" : settings.rootPackage();
        Map<String, List<MacroExtractor.MacroDef>> byPackage = new LinkedHashMap<>();
        byPackage.put(JinjaRuntime.INTERNAL, new ArrayList<>());
        Set<String> tests = new LinkedHashSet<>();
        for (MacroExtractor.MacroDef d : Internal.TESTS) {
            if (d.name().startsWith("test_")) tests.add(d.name().substring("test_".length()));
        }
        Map<String, MacroExtractor.MacroDef> seen = new HashMap<>();
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (MacroFile file : macroFiles) {
            String pkg = file.packageName() == null ? root : file.packageName();
            for (MacroExtractor.MacroDef d : MacroExtractor.extract(file.path(), file.source()).macros()) {
                MacroExtractor.MacroDef earlier = seen.put(pkg + "\0" + d.name(), d);
                if (earlier != null) {
                    // dbt refuses two macros of one name in a package: which one runs would be an accident.
                    throw new CompilationException("macro '" + d.name() + "' is defined twice"
                            + (pkg.isEmpty() || pkg.equals(root) ? "" : " in package '" + pkg + "'") + ", also at "
                            + SourceLocation.of(earlier.file(), earlier.line()), SourceLocation.of(d.file(), d.line()));
                }
                if (d.name().startsWith("test_")) {
                    String test = d.name().substring("test_".length());
                    tests.add(pkg.equals(root) ? test : pkg + "." + test);
                }
                byPackage.computeIfAbsent(pkg, k -> new ArrayList<>()).add(d);
                names.computeIfAbsent(pkg, k -> new LinkedHashSet<>()).add(d.name());
            }
        }
        byPackage.putIfAbsent(root, List.of());
        this.root = root;
        this.definitions = byPackage;
        this.settings = settings;
        // As JinjaRuntime keeps them: a later definition of a name in one package replaces an earlier one.
        byPackage.forEach((pkg, defs) -> {
            Map<String, MacroExtractor.MacroDef> named = new HashMap<>();
            for (MacroExtractor.MacroDef d : defs) named.put(d.name(), d);
            byName.put(pkg, named);
        });
        this.genericTests = Collections.unmodifiableSet(tests);
        Map<String, Set<String>> frozen = new LinkedHashMap<>();
        names.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
        this.userMacros = Collections.unmodifiableMap(frozen);
    }

    /** dbt's own macros as this engine ships them, for tests that read every template. */
    static List<MacroExtractor.MacroDef> internalMacros() {
        return Rest.ALL;
    }

    /** dbt's own macros of the generic tests' file alone, for the test of the split (see Internal). */
    static List<MacroExtractor.MacroDef> internalTestMacros() {
        return Internal.TESTS;
    }

    /** For tests of the template runtime itself. */
    JinjaRuntime runtime() {
        // Read without a lock: every render of a parallel compile comes here.
        JinjaRuntime r = runtime;
        if (r != null) return r;
        synchronized (this) {
            if (runtime == null) runtime = new JinjaRuntime(root, withInternal(), settings);
            return runtime;
        }
    }

    /** The macros by package with dbt's own in front of the internal package's list, in the files' order. */
    private Map<String, List<MacroExtractor.MacroDef>> withInternal() {
        Map<String, List<MacroExtractor.MacroDef>> all = new LinkedHashMap<>(definitions);
        all.put(JinjaRuntime.INTERNAL, concat(Rest.ALL, definitions.get(JinjaRuntime.INTERNAL)));
        return all;
    }

    /**
     * Compiles the project's and packages' macros now, so that a syntax error in one no model calls is reported
     * (as dbt does); rendering anything does the same.
     */
    public void checkMacros() {
        runtime();
    }

    /**
     * A digest of every macro of the project and its packages (dbt's own left out): their packages, names,
     * parameters and text. Macros that compiled once with this digest (and this engine build) compile again.
     */
    public String userMacrosDigest() {
        return JinjaRuntime.shortDigest(md -> definitions.forEach((pkg, defs) -> {
            if (pkg.equals(JinjaRuntime.INTERNAL)) return;
            for (MacroExtractor.MacroDef d : defs) {
                md.update((pkg + "\u0000" + d.name() + "\u0000" + d.params() + "\u0000" + d.template() + "\u0001")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }));
    }

    private static String resource(String name) {
        try (InputStream in = TemplateEngine.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders one template.
     *
     * @param file      the user's file, for error messages
     * @param source    the template text
     * @param variables context variables (this, target, model, ...)
     * @param functions per-render functions (ref, source, var, config, is_incremental, env_var, ...)
     */
    public String render(Path file, String source, Map<String, Object> variables,
                         Map<String, TemplateFunction> functions) {
        return render(file, source, variables, functions, null);
    }

    /**
     * Renders one template of a node of package nodePackage (null: the root project), whose macros an
     * unqualified call finds before the root project's.
     */
    public String render(Path file, String source, Map<String, Object> variables,
                         Map<String, TemplateFunction> functions, String nodePackage) {
        return render(file, source, variables, functions, nodePackage, null);
    }

    /** As above, recording the variables the render read and the macros it called into trace (null: none). */
    public String render(Path file, String source, Map<String, Object> variables,
                         Map<String, TemplateFunction> functions, String nodePackage, RenderTrace trace) {
        return render(file, source, variables, functions, nodePackage, trace, true);
    }

    /**
     * As above, for a template most likely rendered once (a node's parse render, whose output usually stands for
     * its compiled SQL): its compiled form is not kept. Kept, 10,000 models' templates were a third of a compile's
     * live objects, each copied twice by the collector and held to the end; a node that is rendered again
     * compiles its template then (and keeps it), and a text met a second time (a generic test's call, the same for
     * every test of its kind) is kept from then on.
     */
    public String renderOnce(Path file, String source, Map<String, Object> variables,
                             Map<String, TemplateFunction> functions, String nodePackage, RenderTrace trace) {
        return render(file, source, variables, functions, nodePackage, trace, false);
    }

    private String render(Path file, String source, Map<String, Object> variables, Map<String, TemplateFunction> functions,
                          String nodePackage, RenderTrace trace, boolean keep) {
        renders.increment();
        return runtime().render(file, source, variables == null ? Map.of() : variables,
                functions == null ? Map.of() : functions, nodePackage, trace, keep);
    }

    /** How many templates this engine has rendered (see task.UnchangedCompile). */
    public long renders() {
        return renders.sum();
    }

    /** The digest of a macro's text (see RenderTrace), or null when package pkg has no such macro now. */
    public String macroDigest(String pkg, String name) {
        String p = pkg == null ? root : pkg;
        Map<String, MacroExtractor.MacroDef> named = byName.get(p);
        MacroExtractor.MacroDef d = named == null ? null : named.get(name);
        // dbt's own come before the macro files given for its package, which replace them.
        if (d == null && p.equals(JinjaRuntime.INTERNAL)) {
            d = Internal.TESTS_BY_NAME.get(name);
            if (d == null) d = Rest.BY_NAME.get(name);
        }
        return d == null ? null : digests.computeIfAbsent(d, JinjaRuntime::digest);
    }

    /**
     * The package and macro of a {% materialization name %} block for this adapter, searched as dbt does: the
     * adapter's own then its parents' then default blocks, the project's first, then packages', then dbt's;
     * null when there is none.
     */
    public List<String> materialization(String name) {
        return runtime().materialization(name);
    }

    /** Whether a package (the root project, an installed package, or dbt's own) has macros here. */
    public boolean hasPackage(String name) {
        return definitions.containsKey(name);
    }

    /** Macro names of the root project and installed packages, by package name. */
    public Map<String, Set<String>> userMacros() {
        return userMacros;
    }

    /** Names of generic tests available: built-ins plus every {% test name %} block (package.name for packages'). */
    public Set<String> genericTests() {
        return genericTests;
    }

    /** The {% snapshot %} blocks of a file. */
    public static List<SnapshotBlock> snapshotBlocks(Path file, String source) {
        List<SnapshotBlock> out = new ArrayList<>();
        for (MacroExtractor.Block b : MacroExtractor.blocks(file, source, "snapshot")) {
            out.add(new SnapshotBlock(b.argument(), source.substring(b.open().end, b.close().start), file,
                    TemplateScanner.lineAt(source, b.open().start)));
        }
        return out;
    }

    /**
     * Names of the macros a file defines, as dbt lists them in the manifest: each {% macro name %} block, and
     * test_name for each {% test name %} block.
     */
    public static List<String> macroNames(Path file, String source) {
        List<String> out = new ArrayList<>();
        for (MacroExtractor.Block b : MacroExtractor.blocks(file, source, "macro")) out.add(blockName(b.argument()));
        for (MacroExtractor.Block b : MacroExtractor.blocks(file, source, "test")) out.add("test_" + blockName(b.argument()));
        return out;
    }

    private static String blockName(String argument) {
        int paren = argument.indexOf('(');
        return (paren < 0 ? argument : argument.substring(0, paren)).strip();
    }

    /** The {% docs name %} blocks of a markdown file: name to text. */
    public static Map<String, String> docsBlocks(Path file, String source) {
        return MacroExtractor.docs(file, source);
    }
}
