package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
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

    /** A compiled macro. */
    record Macro(String name, List<MacroExtractor.Param> params, Path file, int line, PebbleTemplate template) {
    }

    private final PebbleEngine pebble;
    private final Map<String, Macro> macros;

    /** @param definitions macros in override order: a later definition of a name wins */
    JinjaRuntime(List<MacroExtractor.MacroDef> definitions) {
        this.pebble = new PebbleEngine.Builder()
                .loader(new StringLoader())
                .extension(new JinjaExtension(this))
                .allowOverrideCoreOperators(true)
                .autoEscaping(false)
                .newLineTrimming(false)
                .strictVariables(false)
                // Keyed by the translated source: the two compile passes render each template twice.
                .cacheActive(true)
                .build();
        this.macros = Collections.unmodifiableMap(compileMacros(definitions));
    }

    Map<String, Macro> macros() {
        return macros;
    }

    Map<String, Macro> compileMacros(List<MacroExtractor.MacroDef> definitions) {
        Map<String, Macro> out = new LinkedHashMap<>();
        for (MacroExtractor.MacroDef d : definitions) {
            out.put(d.name(), new Macro(d.name(), d.params(), d.file(), d.line(), compile(d.file(), d.template())));
        }
        return out;
    }

    /** Compiles Jinja source; a syntax error becomes a CompilationException at the user's line. */
    PebbleTemplate compile(Path file, String jinja) {
        String translated;
        try {
            translated = JinjaTranslator.translate(jinja);
        } catch (TemplateScanner.ScanException e) {
            throw new CompilationException(e.getMessage(), SourceLocation.of(file, TemplateScanner.lineAt(jinja, e.offset)));
        }
        try {
            return pebble.getTemplate(translated);
        } catch (RuntimeException e) {
            throw toEngineError(e, file);
        }
    }

    /** A template with the macros it defines, compiled once per file and text however often it is rendered. */
    private record Compiled(Map<String, Macro> local, PebbleTemplate template) {
    }

    private final Map<String, Compiled> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private Compiled compiled(Path file, String source) {
        String key = file + "\u0000" + source;
        Compiled c = compiled.get(key);
        if (c != null) return c;
        // Compiled outside the map's lock: a rare duplicate compile is cheaper than serialising every compile.
        MacroExtractor.Extracted ex = MacroExtractor.extract(file, source);
        c = new Compiled(compileMacros(ex.macros()), compile(file, ex.rest()));
        Compiled earlier = compiled.putIfAbsent(key, c);
        return earlier != null ? earlier : c;
    }

    String render(Path file, String source, Map<String, Object> variables, Map<String, TemplateFunction> functions) {
        Compiled c = compiled(file, source);
        Map<String, Macro> local = c.local();
        PebbleTemplate template = c.template();
        Frame frame = new Frame(file, new Frame.Render(variables, functions, local), 0);
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

    private static Map<String, Object> context(Frame frame) {
        Map<String, Object> ctx = new HashMap<>(frame.render().variables());
        ctx.putIfAbsent("exceptions", CompilerExceptions.INSTANCE);
        ctx.put(Frame.VARIABLE, frame);
        return ctx;
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

    /** A bare call f(...) in a template: per-render function, macro, or Jinja builtin. */
    Object call(String name, List<Object> args, Map<String, Object> kwargs, Frame frame, int line) {
        SourceLocation here = SourceLocation.of(frame.file(), line);
        if (name.equals("return")) throw new ReturnSignal(args.isEmpty() ? null : args.get(0));
        TemplateFunction fn = frame.render().functions().get(name);
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
        Macro macro = frame.render().localMacros().get(name);
        if (macro == null) macro = macros.get(name);
        if (macro != null) return invoke(macro, args, kwargs, frame, line);
        return Builtins.call(name, args, kwargs, here);
    }

    private Object invoke(Macro m, List<Object> args, Map<String, Object> kwargs, Frame caller, int line) {
        SourceLocation callSite = SourceLocation.of(caller.file(), line);
        if (caller.depth() >= MAX_DEPTH) {
            throw new CompilationException("macro calls nested deeper than " + MAX_DEPTH + " (recursion in '" + m.name() + "'?)", callSite);
        }
        Frame frame = new Frame(m.file(), caller.render(), caller.depth() + 1);
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
        List<MacroExtractor.Param> params = m.params();
        for (int k = 0; k < params.size(); k++) {
            MacroExtractor.Param p = params.get(k);
            if (k < args.size()) {
                if (extra.containsKey(p.name())) {
                    throw new CompilationException("macro '" + m.name() + "' got multiple values for argument '"
                            + p.name() + "'", callSite);
                }
                ctx.put(p.name(), args.get(k));
            } else if (extra.containsKey(p.name())) {
                ctx.put(p.name(), extra.remove(p.name()));
            } else {
                ctx.put(p.name(), null);
                if (p.defaultExpr() != null) ctx.put("__unset_" + p.name(), Boolean.TRUE);
            }
        }
        for (int k = params.size(); k < args.size(); k++) varargs.add(args.get(k));
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
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c instanceof PebbleException pe ? pe.getPebbleMessage() : c.getMessage();
            if (m == null && !(c instanceof PebbleException)) m = c.getClass().getSimpleName();
            if (m == null || sb.indexOf(m) >= 0) continue;
            if (sb.length() > 0) sb.append(": ");
            sb.append(m);
        }
        return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
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
