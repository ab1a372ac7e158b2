package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles Jinja through JinjaTranslator into Pebble templates and evaluates them and macros. */
final class JinjaRuntime {

    /** Deeper than any sane macro nesting; stops runaway recursion before the stack does. */
    private static final int MAX_DEPTH = 100;

    /** Package of dbt's own macros (built-in generic tests, ...), searched after the project's. */
    static final String INTERNAL = "dbt";

    /** The folder name the engine's own macro files are reported under (they live in the jar). */
    static final String BUILTIN_FOLDER = "sluice-builtin";

    /**
     * A macro of package pkg. dbt's own macros (package {@link #INTERNAL}, some hundred, known to compile) are
     * compiled on first call: a command that calls few of them, or none (`ls`), does not compile them all at
     * start. The project's and packages' macros are compiled when loaded, so a syntax error is reported even
     * in a macro no model calls, as dbt does.
     */
    static final class Macro {
        private final JinjaRuntime runtime;
        private final MacroExtractor.MacroDef def;
        private final String pkg;
        private volatile PebbleTemplate template;
        private volatile String digest;

        private Macro(JinjaRuntime runtime, MacroExtractor.MacroDef def, String pkg, boolean lazy) {
            this.runtime = runtime;
            this.def = def;
            this.pkg = pkg;
            if (!lazy) template = runtime.compile(def.file(), def.template());
        }

        String name() {
            return def.name();
        }

        String pkg() {
            return pkg;
        }

        List<MacroExtractor.Param> params() {
            return def.params();
        }

        Path file() {
            return def.file();
        }

        int line() {
            return def.line();
        }

        PebbleTemplate template() {
            PebbleTemplate t = template;
            // Two threads may compile the same macro at once; both results are equal, the last one is kept.
            if (t == null) template = t = runtime.compile(def.file(), def.template());
            return t;
        }

        boolean takesVarargs() {
            return VARARGS.matcher(def.template()).find();
        }

        boolean takesKwargs() {
            return KWARGS.matcher(def.template()).find();
        }

        String digest() {
            String d = digest;
            if (d == null) digest = d = JinjaRuntime.digest(def);
            return d;
        }
    }

    /** Jinja gives a macro extra positional or named arguments only when its body reads varargs / kwargs. */
    private static final java.util.regex.Pattern VARARGS = java.util.regex.Pattern.compile("\\bvarargs\\b");
    private static final java.util.regex.Pattern KWARGS = java.util.regex.Pattern.compile("\\bkwargs\\b");

    private final PebbleEngine pebble;
    private final PebbleLexer lexer;
    /** package -> macro name -> macro. */
    private final Map<String, Map<String, Macro>> packages;
    private final String root;
    private final TemplateSettings settings;

    /**
     * @param root        name of the project being run (its macros win over dbt's own); may be null
     * @param definitions macros by package; the internal package is {@link #INTERNAL}
     * @param settings    adapter type and dispatch search orders, for adapter.dispatch
     */
    JinjaRuntime(String root, Map<String, List<MacroExtractor.MacroDef>> definitions, TemplateSettings settings) {
        this.settings = settings;
        this.pebble = new PebbleEngine.Builder()
                .loader(new StringLoader())
                .extension(new JinjaExtension(this))
                .allowOverrideCoreOperators(true)
                .autoEscaping(false)
                .newLineTrimming(false)
                // An undefined name or attribute is an error, never an empty string (`is defined` and `default` still work).
                .strictVariables(true)
                // Only Jinja's filters and tests: a Pebble-only one (abbreviate, split, empty) is an unknown name.
                .registerExtensionCustomizer(JinjaOnly::new)
                // Keyed by the translated source: the two compile passes render each template twice.
                .cacheActive(true)
                .build();
        this.lexer = new PebbleLexer(pebble);
        this.root = root == null ? "" : root;
        Map<String, Map<String, Macro>> pk = new LinkedHashMap<>();
        definitions.forEach((pkg, defs) -> pk.put(pkg, Collections.unmodifiableMap(compileMacros(pkg, defs))));
        this.packages = Collections.unmodifiableMap(pk);
    }

    /** For tests that compare PebbleLexer's tokens with Pebble's own. */
    PebbleLexer lexer() {
        return lexer;
    }

    /** The macro name of package pkg, or null. */
    Macro macro(String pkg, String name) {
        Map<String, Macro> m = packages.get(pkg == null ? root : pkg);
        return m == null ? null : m.get(name);
    }

    boolean hasPackage(String pkg) {
        return packages.containsKey(pkg);
    }

    String root() {
        return root;
    }

    Map<String, Macro> compileMacros(String pkg, List<MacroExtractor.MacroDef> definitions) {
        Map<String, Macro> out = new LinkedHashMap<>();
        for (MacroExtractor.MacroDef d : definitions) {
            out.put(d.name(), new Macro(this, d, pkg, d.file().startsWith(BUILTIN_FOLDER)));
        }
        return out;
    }

    /** Pebble's built-in extensions without the filters and tests Jinja does not have. */
    private static final class JinjaOnly extends io.pebbletemplates.pebble.extension.ExtensionCustomizer {
        private static final java.util.Set<String> KEPT_TESTS = java.util.Set.of("defined", "even", "odd", "null");

        JinjaOnly(io.pebbletemplates.pebble.extension.Extension delegate) {
            super(delegate);
        }

        @Override
        public Map<String, io.pebbletemplates.pebble.extension.Filter> getFilters() {
            return Map.of(); // JinjaExtension supplies every filter
        }

        @Override
        public Map<String, io.pebbletemplates.pebble.extension.Test> getTests() {
            Map<String, io.pebbletemplates.pebble.extension.Test> all = super.getTests();
            Map<String, io.pebbletemplates.pebble.extension.Test> out = new HashMap<>();
            if (all != null) all.forEach((k, v) -> {
                if (KEPT_TESTS.contains(k)) out.put(k, v);
            });
            return out;
        }
    }

    /** A digest of a macro's text and signature: a cached parse that called it is valid while it is unchanged. */
    static String digest(MacroExtractor.MacroDef d) {
        return shortDigest(md -> md.update((d.name() + "\u0000" + d.params() + "\u0000" + d.template())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The first 16 bytes of a SHA-256 of what {@code parts} feeds it, in hex: the form of every macro digest. */
    static String shortDigest(java.util.function.Consumer<java.security.MessageDigest> parts) {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        parts.accept(md);
        return java.util.HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /** Compiles Jinja source; a syntax error becomes a CompilationException at the user's line. */
    PebbleTemplate compile(Path file, String jinja) {
        return compile(file, jinja, true);
    }

    /** As above; keep false leaves the template out of Pebble's cache (see render's keep). */
    private PebbleTemplate compile(Path file, String jinja, boolean keep) {
        String translated;
        try {
            translated = JinjaTranslator.translate(jinja);
        } catch (TemplateScanner.ScanException e) {
            throw new CompilationException(e.getMessage(), SourceLocation.of(file, TemplateScanner.lineAt(jinja, e.offset)));
        } catch (JinjaTranslator.Unsupported e) {
            throw new CompilationException(e.getMessage(), SourceLocation.of(file, TemplateScanner.lineAt(jinja, e.offset)));
        }
        try {
            // The common subset is tokenized by PebbleLexer (the same tokens, a fraction of the cost) and kept in
            // Pebble's own cache under the key Pebble uses; anything else is Pebble's to tokenize.
            PebbleTemplate fast = keep ? pebble.getTemplateCache().computeIfAbsent(translated, k -> lexer.compile(translated))
                    : lexer.compile(translated);
            return fast != null ? fast : pebble.getTemplate(translated);
        } catch (RuntimeException e) {
            throw toEngineError(e, file);
        }
    }

    /** A template with the macros it defines, compiled once per package, file and text however often it is rendered. */
    private record Compiled(Map<String, Macro> local, PebbleTemplate template) {
    }

    private final Map<String, Compiled> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private Compiled compiled(String pkg, Path file, String source) {
        String key = pkg + "\u0000" + file + "\u0000" + source;
        Compiled c = compiled.get(key);
        if (c != null) return c;
        // Compiled outside the map's lock: a rare duplicate compile is cheaper than serialising every compile.
        c = compileNew(pkg, file, source, true);
        Compiled earlier = compiled.putIfAbsent(key, c);
        return earlier != null ? earlier : c;
    }

    /** Hashes of the texts rendered so far without being kept (see render's keep). */
    private final java.util.Set<Integer> seenOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A template and its macros compiled; keep false leaves the template out of Pebble's cache too (see render). */
    private Compiled compileNew(String pkg, Path file, String source, boolean keep) {
        MacroExtractor.Extracted ex = MacroExtractor.extract(file, source);
        return new Compiled(compileMacros(pkg, ex.macros()), compile(file, ex.rest(), keep));
    }

    /**
     * @param keep whether the compiled template is kept for later renders of the same text; false for a render
     *             most likely not repeated, whose template then dies young instead of being copied by the collector
     *             and held to the end (see TemplateEngine.renderOnce)
     */
    String render(Path file, String source, Map<String, Object> variables, Map<String, TemplateFunction> functions,
                  String nodePackage, RenderTrace trace, boolean keep) {
        String pkg = nodePackage == null ? root : nodePackage;
        // A text met a second time is kept after all: every generic test of one kind renders the same call.
        // (Two texts of one hash only mean one template kept that need not be.)
        boolean keepIt = keep || !seenOnce.add(java.util.Objects.hash(pkg, file, source));
        Compiled c = keepIt ? compiled(pkg, file, source) : compileNew(pkg, file, source, false);
        Map<String, Macro> local = c.local();
        PebbleTemplate template = c.template();
        Frame frame = new Frame(file, new Frame.Render(variables, functions, local, pkg, trace), 0, pkg);
        try {
            return evaluate(template, context(frame));
        } catch (ReturnSignal r) {
            throw new CompilationException("return() used outside a macro", SourceLocation.of(file));
        } catch (RuntimeException e) {
            ReturnSignal r = find(e, ReturnSignal.class);
            if (r != null) throw new CompilationException("return() used outside a macro", SourceLocation.of(file, lineOf(e)));
            throw toEngineError(e, file);
        }
    }

    private Map<String, Object> context(Frame frame) {
        RenderTrace trace = frame.render().trace();
        Map<String, Object> ctx = trace == null ? new HashMap<>(frame.render().variables())
                : new TracedContext(frame.render().variables(), trace);
        ctx.putIfAbsent("exceptions", CompilerExceptions.INSTANCE);
        provide(ctx, "modules", Modules.MODULES);
        // Every package's name reaches its macros: dbt_utils.star(...), my_project.helper(...).
        for (String pkg : packages.keySet()) {
            if (!pkg.isEmpty()) ctx.putIfAbsent(pkg, new MacroNamespace(pkg));
        }
        // adapter.dispatch is answered here, where macros are known; the rest by the caller's warehouse object.
        Object adapter = ctx.get("adapter");
        ctx.put("adapter", new DispatchingAdapter(this, frame, adapter instanceof JinjaObject o ? o : null));
        ctx.put(Frame.VARIABLE, frame);
        provide(ctx, "context", new ContextView(ctx, frame, this));
        return ctx;
    }

    /**
     * Puts a per-invocation value the runtime gives every render (modules' datetime.now(), context's every variable)
     * unless the render's variables have the name; in a traced render a look-up of it is a read the parse cache sees.
     */
    private static void provide(Map<String, Object> ctx, String key, Object value) {
        if (ctx instanceof TracedContext traced) traced.provide(key, value);
        else ctx.putIfAbsent(key, value);
    }

    /**
     * A template's context that records which of the render's variables are looked up (Pebble reads its
     * outermost scope through get and containsKey); names the template sets or binds itself are not recorded.
     */
    private static final class TracedContext extends HashMap<String, Object> {
        private final Map<String, Object> renderVariables;
        private final RenderTrace trace;
        /**
         * Names put here after the render's variables (a macro's parameters, a top-level set): a look-up of one
         * reads that value, not the render's variable of the same name. A generic test's macro binds its
         * parameter model, which had every test read the render's model and rendered again when compiled.
         */
        private final java.util.Set<String> own = new java.util.HashSet<>();
        /** Names the runtime provides beside the render's variables whose look-up is traced like theirs. */
        private final java.util.Set<String> provided = new java.util.HashSet<>();

        TracedContext(Map<String, Object> renderVariables, RenderTrace trace) {
            super(renderVariables);
            this.renderVariables = renderVariables;
            this.trace = trace;
        }

        private void note(Object key) {
            if (key instanceof String k && !own.contains(k) && (renderVariables.containsKey(k) || provided.contains(k))) {
                trace.read(k);
            }
        }

        /** Puts a value the runtime provides unless the render's variables have the name; its look-ups are traced. */
        void provide(String key, Object value) {
            if (super.containsKey(key)) return;
            super.put(key, value);
            provided.add(key);
        }

        @Override
        public Object put(String key, Object value) {
            own.add(key);
            return super.put(key, value);
        }

        @Override
        public Object get(Object key) {
            note(key);
            return super.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            note(key);
            return super.containsKey(key);
        }

        @Override
        public Object getOrDefault(Object key, Object defaultValue) {
            note(key);
            return super.getOrDefault(key, defaultValue);
        }
    }

    private static String evaluate(PebbleTemplate template, Map<String, Object> ctx) {
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A bare call f(...) in a template: a callable variable, per-render function, macro, or Jinja builtin. */
    Object call(String name, Object variable, List<Object> args, Map<String, Object> kwargs, Frame frame, int line) {
        SourceLocation here = SourceLocation.of(frame.file(), line);
        if (name.equals("return")) throw new ReturnSignal(args.isEmpty() ? null : args.get(0));
        if (variable instanceof MacroRef ref) return invoke(ref.macro(), args, kwargs, frame, line);
        // A variable holding something callable (caller, a macro passed along) comes first, as in Jinja.
        TemplateFunction fn = variable instanceof TemplateFunction f ? f : frame.render().functions().get(name);
        if (fn != null) {
            try {
                return fn.call(Collections.unmodifiableList(args), Collections.unmodifiableMap(kwargs));
            } catch (ReturnSignal r) {
                throw r;
            } catch (EngineException e) {
                throw e.location().isPresent() ? e : withLocation(e, here);
            } catch (RuntimeException e) {
                throw new CompilationException("error in " + name + "(): " + messageOf(e), here, e);
            }
        }
        Macro macro = unqualified(name, frame);
        if (macro != null) return invoke(macro, args, kwargs, frame, line);
        return Builtins.call(name, args, kwargs, here);
    }

    /**
     * An unqualified macro name, found as dbt finds it: the template's own macros, the package of the macro
     * being evaluated (so a package's macros call each other by bare name), the node's package, the root
     * project, then dbt's own macros.
     */
    Macro unqualified(String name, Frame frame) {
        Macro m = frame.render().localMacros().get(name);
        if (m == null) m = macro(frame.pkg(), name);
        if (m == null) m = macro(frame.render().nodePackage(), name);
        if (m == null) m = macro(root, name);
        if (m == null) m = macro(INTERNAL, name);
        return m;
    }

    /**
     * adapter.dispatch(name, macro_namespace): for each package of the search order, {@code <adapter>__name}
     * then its parent adapters' then {@code default__name}, as dbt resolves it. The search order is the
     * project's dispatch: config for the namespace, else the project then the namespace itself; without a
     * namespace, the unqualified search.
     */
    MacroRef dispatch(String name, String namespace, Frame frame, int line) {
        List<String> searchOrder = new ArrayList<>();
        if (namespace == null) {
            searchOrder.add(null);
        } else if (settings.dispatchOrder().containsKey(namespace)) {
            searchOrder.addAll(settings.dispatchOrder().get(namespace));
        } else {
            searchOrder.add(root);
            if (!namespace.equals(root)) searchOrder.add(namespace);
        }
        List<String> tried = new ArrayList<>();
        for (String pkg : searchOrder) {
            for (String prefix : settings.prefixes()) {
                String candidate = prefix + "__" + name;
                if (!tried.contains(candidate)) tried.add(candidate);
                Macro m = pkg == null ? unqualified(candidate, frame) : macro(pkg, candidate);
                if (m != null) return new MacroRef(m);
            }
        }
        throw new CompilationException("In dispatch: no macro named '" + name + "' found"
                + (namespace == null ? "" : " within namespace '" + namespace + "'") + "; searched for '"
                + String.join("', '", tried) + "'", line > 0 ? SourceLocation.of(frame.file(), line) : null);
    }

    /** [package, macro] of the materialization block for name, or null (see TemplateEngine#materialization). */
    List<String> materialization(String name) {
        List<String> order = new ArrayList<>();
        order.add(root);
        for (String p : packages.keySet()) {
            if (!p.equals(root) && !p.equals(INTERNAL)) order.add(p);
        }
        order.add(INTERNAL);
        for (String prefix : settings.prefixes()) {
            String macro = MacroExtractor.materializationMacro(name, prefix);
            for (String pkg : order) {
                if (macro(pkg, macro) != null) return List.of(pkg, macro);
            }
        }
        return null;
    }

    /** pkg.name(...): a macro of a named package. */
    Object callQualified(String pkg, String name, List<Object> args, Map<String, Object> kwargs, Frame frame, int line) {
        // A unit test's override of a package's macro is a per-render function named pkg.name.
        TemplateFunction override = frame.render().functions().get(pkg + "." + name);
        if (override != null) return override.call(Collections.unmodifiableList(args), Collections.unmodifiableMap(kwargs));
        Macro m = macro(pkg, name);
        if (m == null) {
            throw new CompilationException("macro '" + pkg + "." + name + "' is undefined: package '" + pkg
                    + "' has no macro named '" + name + "'", SourceLocation.of(frame.file(), line));
        }
        return invoke(m, args, kwargs, frame, line);
    }

    Object invoke(Macro m, List<Object> args, Map<String, Object> kwargs, Frame caller, int line) {
        SourceLocation callSite = SourceLocation.of(caller.file(), line);
        if (caller.depth() >= MAX_DEPTH) {
            throw new CompilationException("macro calls nested deeper than " + MAX_DEPTH + " (recursion in '" + m.name() + "'?)", callSite);
        }
        Frame frame = new Frame(m.file(), caller.render(), caller.depth() + 1, m.pkg());
        // A macro defined in the rendered file itself is part of that file's text; only shared macros are recorded.
        if (caller.render().trace() != null && caller.render().localMacros().get(m.name()) != m) {
            caller.render().trace().macro(m.pkg(), m.name(), m.digest());
        }
        Map<String, Object> ctx = context(frame);
        bind(m, args, kwargs, ctx, callSite);
        try {
            return evaluate(m.template(), ctx);
        } catch (ReturnSignal r) {
            return r.value;
        } catch (RuntimeException e) {
            ReturnSignal r = find(e, ReturnSignal.class);
            if (r != null) return r.value;
            EngineException located = toEngineError(e, m.file());
            boolean fromThisMacro = located.location().map(l -> m.file().equals(l.file())).orElse(false);
            if (located instanceof CompilationException && fromThisMacro
                    && !(located instanceof MacroError) && !(located instanceof JinjaAttributes.RaisedError)) {
                // The macro's own line is the location; the call site tells which model used it.
                throw new MacroError(located.getMessage() + " (in macro '" + m.name() + "' called from "
                        + callSite + ")", located.location().orElse(null), e);
            }
            throw located;
        }
    }

    /** Binds call arguments to macro parameters the way Python binds them. */
    private static void bind(Macro m, List<Object> args, Map<String, Object> kwargs, Map<String, Object> ctx,
                             SourceLocation callSite) {
        List<Object> varargs = new ArrayList<>();
        Map<String, Object> extra = new LinkedHashMap<>(kwargs);
        // A {% call %} block hands its body over as `caller`.
        Object caller = extra.remove("caller");
        if (caller != null) ctx.put("caller", caller);
        List<MacroExtractor.Param> params = m.params();
        for (int k = 0; k < params.size(); k++) {
            MacroExtractor.Param p = params.get(k);
            if (k < args.size()) {
                if (extra.containsKey(p.name())) {
                    throw new CompilationException("macro '" + m.name() + "' got multiple values for argument '"
                            + p.name() + "'", callSite);
                }
                ctx.put(JinjaTranslator.pebbleName(p.name()), args.get(k));
                if (p.defaultExpr() != null) ctx.put("__unset_" + p.name(), Boolean.FALSE);
            } else if (extra.containsKey(p.name())) {
                ctx.put(JinjaTranslator.pebbleName(p.name()), extra.remove(p.name()));
                if (p.defaultExpr() != null) ctx.put("__unset_" + p.name(), Boolean.FALSE);
            } else {
                ctx.put(JinjaTranslator.pebbleName(p.name()), null);
                if (p.defaultExpr() != null) ctx.put("__unset_" + p.name(), Boolean.TRUE);
            }
        }
        for (int k = params.size(); k < args.size(); k++) varargs.add(args.get(k));
        if (!varargs.isEmpty() && !m.takesVarargs()) {
            throw new CompilationException("macro '" + m.name() + "' takes not more than " + params.size()
                    + " argument(s), got " + args.size(), callSite);
        }
        if (!extra.isEmpty() && !m.takesKwargs()) {
            throw new CompilationException("macro '" + m.name() + "' takes no keyword argument '"
                    + extra.keySet().iterator().next() + "'", callSite);
        }
        ctx.put("varargs", varargs);
        ctx.put("kwargs", extra);
    }

    // ---- errors ------------------------------------------------------------------------------

    /** An error already placed in a macro and annotated with its call site. */
    static final class MacroError extends CompilationException {
        MacroError(String message, SourceLocation location, Throwable cause) {
            super(message, location, cause);
        }
    }

    /** Turns whatever a template evaluation threw into an EngineException located in file. */
    static EngineException toEngineError(Throwable t, Path file) {
        EngineException ee = find(t, EngineException.class);
        int line = lineOf(t);
        if (ee != null) {
            return ee.location().isPresent() ? ee : withLocation(ee, SourceLocation.of(file, line));
        }
        return new CompilationException(messageOf(t), SourceLocation.of(file, line), t);
    }

    /** The first line number a Pebble exception in the chain reports, or 0. */
    private static int lineOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PebbleException pe && pe.getLineNumber() != null && pe.getLineNumber() > 0) {
                return pe.getLineNumber();
            }
        }
        return 0;
    }

    /** A readable message; Pebble's own getMessage() appends the template name, our whole source. */
    static String messageOf(Throwable t) {
        // An undefined name is the whole story; what Pebble was evaluating around it only adds noise.
        AttributeNotFoundException undefined = find(t, AttributeNotFoundException.class);
        if (undefined != null && undefined != t) return messageOf(undefined);
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c instanceof PebbleException pe ? pe.getPebbleMessage() : c.getMessage();
            if (c instanceof RootAttributeNotFoundException r) m = undefinedName(r);
            else if (m != null && m.matches("(Filter|Test) \\[.*\\] does not exist\\.")) {
                m = "unknown " + m.substring(0, m.indexOf(' ')).toLowerCase(java.util.Locale.ROOT) + " '"
                        + m.substring(m.indexOf('[') + 1, m.indexOf(']')) + "'";
            }
            else if (c instanceof AttributeNotFoundException a && m != null && m.startsWith("Attribute [")) {
                m = "'" + a.getAttributeName() + "' is not an attribute of this value";
            }
            if (m == null && !(c instanceof PebbleException)) m = c.getClass().getSimpleName();
            if (m == null || sb.indexOf(m) >= 0) continue;
            if (sb.length() > 0) sb.append(": ");
            sb.append(m);
        }
        return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
    }

    /**
     * Pebble raises the same exception for an undefined name and for an attribute of a name bound to
     * none; only the frame it comes from tells them apart.
     */
    private static String undefinedName(RootAttributeNotFoundException r) {
        String name = r.getAttributeName();
        StackTraceElement[] st = r.getStackTrace();
        boolean fromAttribute = st.length > 0 && st[0].getClassName().endsWith("GetAttributeExpression");
        if (r.getPebbleMessage() != null && r.getPebbleMessage().startsWith("Attempt to get attribute of null")) {
            return "'None' has no attribute '" + name + "'";
        }
        if (fromAttribute) return "'" + name + "' is none, so it has no attributes";
        return "'" + name + "' is undefined: no variable, macro or package of that name is available here";
    }

    static <X extends Throwable> X find(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
            if (c.getCause() == c) break;
        }
        return null;
    }

    /** The same kind of error with a location; kinds that take none are returned unchanged. */
    static EngineException withLocation(EngineException e, SourceLocation loc) {
        if (e instanceof CompilationException) return new CompilationException(e.getMessage(), loc, e);
        if (e instanceof ConfigException) return new ConfigException(e.getMessage(), loc, e);
        if (e.getClass() == EngineException.class) return new EngineException(e.getMessage(), loc, e);
        return e;
    }
}
