package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.attributes.ResolvedAttribute;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.node.ArgumentsNode;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python methods dbt macros call on values (s.upper(), d.get(k, x), d.items(), l.append(x)),
 * record components as attributes, and exceptions.raise_compiler_error. Anything else falls
 * through to Pebble's own resolvers.
 */
final class JinjaAttributes implements AttributeResolver {

    /** Marks "not a method this resolver knows", as opposed to a method returning null. */
    private static final Object UNKNOWN = new Object();

    private final JinjaRuntime runtime;

    JinjaAttributes(JinjaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ResolvedAttribute resolve(Object instance, Object attributeName, Object[] argumentValues, ArgumentsNode args,
                                     EvaluationContextImpl ctx, String filename, int line) {
        if (instance == null) return null;
        String name = String.valueOf(attributeName);
        if (instance instanceof MacroNamespace ns) return packageMacro(ns, name, argumentValues, ctx, filename, line);
        if (instance instanceof JinjaObject o) return jinjaObject(o, name, argumentValues, ctx, line);
        if (argumentValues != null && instance instanceof MacroRef ref && name.equals("__call__")) {
            // obj['equals'](...): calling the macro a subscript gave (see JinjaTranslator).
            CallArgs call = CallArgs.of(java.util.Arrays.asList(argumentValues));
            return new ResolvedAttribute(runtime.invoke(ref.macro(), call.positional(), call.kwargs(),
                    JinjaExtension.frame(ctx), line));
        }
        if (argumentValues == null) return item(instance, attributeName, name, filename, line);
        Object result = UNKNOWN;
        try {
            CallArgs call = CallArgs.of(java.util.Arrays.asList(argumentValues));
            List<Object> a = call.positional();
            Map<String, Object> kw = call.kwargs();
            if (instance instanceof CompilerExceptions) {
                result = exceptions((CompilerExceptions) instance, name, a, ctx, line);
            } else if (instance instanceof JinjaLoop loop) {
                result = loop.method(name, a, UNKNOWN);
            } else if (instance instanceof CharSequence s) {
                result = stringMethod(s.toString(), name, a, kw);
            } else if (instance instanceof Map<?, ?> m) {
                result = mapMethod(m, name, a);
            } else if (instance instanceof List<?> l) {
                result = listMethod(l, name, a);
            } else if (!kw.isEmpty()) {
                // Pebble's reflective method calls take positional arguments only: a named one would be lost.
                throw new AttributeNotFoundException(null, "'" + Values.typeName(instance) + "." + name
                        + "' does not take keyword arguments (" + String.join(", ", kw.keySet()) + ")", name, line, filename);
            } else {
                return null; // Pebble's resolvers: Java getters and methods of engine objects
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ClassCastException e) {
            throw new PebbleException(e, "error in " + Values.typeName(instance) + "." + name + "(): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), line, filename);
        }
        if (result == UNKNOWN) throw missing(instance, name, filename, line);
        return new ResolvedAttribute(result);
    }

    /** Jinja's error for an attribute or method a value does not have; `is defined` and `default` catch it. */
    static AttributeNotFoundException missing(Object instance, String name, String filename, int line) {
        return new AttributeNotFoundException(null, "'" + Values.typeName(instance) + " object' has no attribute '"
                + name + "'", name, line, filename);
    }

    /** obj[key] where Pebble cannot subscript obj itself (a literal). */
    static Object getItem(Object instance, Object key, int line) {
        if (instance == null) throw new AttributeNotFoundException(null, "'None' has no item " + Values.repr(key), String.valueOf(key), line, null);
        ResolvedAttribute r = item(instance, key, String.valueOf(key), null, line);
        if (r == null) throw missing(instance, String.valueOf(key), null, line);
        return r.evaluatedValue;
    }

    /** obj.name or obj[key] without a call. */
    private static ResolvedAttribute item(Object instance, Object key, String name, String filename, int line) {
        if (instance instanceof Undefined u) {
            throw new AttributeNotFoundException(null, u.error() != null ? u.error()
                    : "'" + u.name() + "' is undefined, so it has no attribute '" + name + "'", name, line, filename);
        }
        if (instance instanceof JinjaLoop loop) {
            Object v = loop.attribute(name, UNKNOWN);
            if (v == UNKNOWN) throw missing(instance, name, filename, line);
            return new ResolvedAttribute(v);
        }
        if (instance instanceof Map<?, ?> m) {
            if (m.containsKey(key)) return new ResolvedAttribute(m.get(key));
            if (!(key instanceof String) && m.containsKey(name)) return new ResolvedAttribute(m.get(name));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (key instanceof Number && Values.equal(e.getKey(), key)) return new ResolvedAttribute(e.getValue());
            }
            // Jinja's Undefined: falsy and replaceable by default, but printing it is the error (see Undefined).
            return new ResolvedAttribute(new Undefined(name, key instanceof String
                    ? "'dict object' has no attribute '" + name + "'" : "'dict object' has no key " + Values.repr(key)));
        }
        if ((instance instanceof List<?> || instance instanceof CharSequence) && key instanceof Number n) {
            int size = instance instanceof List<?> l ? l.size() : ((CharSequence) instance).length();
            long k = n.longValue();
            if (k < 0) k += size;
            if (k < 0 || k >= size) {
                throw new AttributeNotFoundException(null, (instance instanceof List<?> ? "list" : "string")
                        + " index " + n + " out of range (length " + size + ")", name, line, filename);
            }
            return new ResolvedAttribute(instance instanceof List<?> l ? l.get((int) k)
                    : String.valueOf(((CharSequence) instance).charAt((int) k)));
        }
        if (instance instanceof List<?> || instance instanceof CharSequence || instance instanceof Number
                || instance instanceof Boolean) {
            return new ResolvedAttribute(new Undefined(name, missing(instance, name, filename, line).getPebbleMessage()));
        }
        if (instance.getClass().isRecord()) return recordComponent(instance, name);
        return null;
    }

    private static SourceLocation here(EvaluationContextImpl ctx, int line) {
        Frame frame = JinjaExtension.frame(ctx);
        return SourceLocation.of(frame == null ? null : frame.file(), line);
    }

    /** Attributes and methods of the context's objects (adapter, config, api, relations, columns, ...). */
    private static ResolvedAttribute jinjaObject(JinjaObject o, String name, Object[] argumentValues,
                                                 EvaluationContextImpl ctx, int line) {
        Object result;
        if (argumentValues == null) {
            result = o.attribute(name);
            if (result == JinjaObject.MISSING) {
                return new ResolvedAttribute(new Undefined(name, "'" + o.jinjaName() + "' has no attribute '" + name + "'"));
            }
            return new ResolvedAttribute(result);
        }
        CallArgs call = CallArgs.of(java.util.Arrays.asList(argumentValues));
        try {
            result = o.method(name, call.positional(), call.kwargs());
        } catch (ReturnSignal r) {
            throw r;
        } catch (dev.sluice.error.EngineException e) {
            throw e.location().isPresent() ? e : JinjaRuntime.withLocation(e, here(ctx, line));
        } catch (RuntimeException e) {
            throw new CompilationException("error in " + o.jinjaName() + "." + name + "(): " + JinjaRuntime.messageOf(e),
                    here(ctx, line), e);
        }
        if (result == JinjaObject.MISSING) {
            throw new CompilationException("'" + o.jinjaName() + "' has no method '" + name + "'", here(ctx, line));
        }
        return new ResolvedAttribute(result);
    }

    /** dbt_utils.star(...) calls the macro; dbt_utils.star names it (a macro value, or none if there is none). */
    private ResolvedAttribute packageMacro(MacroNamespace ns, String name, Object[] argumentValues,
                                           EvaluationContextImpl ctx, String filename, int line) {
        if (argumentValues == null) {
            JinjaRuntime.Macro m = runtime.macro(ns.packageName(), name);
            if (m == null) throw missing(ns, name, filename, line);
            return new ResolvedAttribute(new MacroRef(m));
        }
        CallArgs call = CallArgs.of(java.util.Arrays.asList(argumentValues));
        return new ResolvedAttribute(runtime.callQualified(ns.packageName(), name, call.positional(), call.kwargs(),
                JinjaExtension.frame(ctx), line));
    }

    private static ResolvedAttribute recordComponent(Object record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (!c.getName().equals(name)) continue;
            Method accessor = c.getAccessor();
            try {
                accessor.setAccessible(true);
                return new ResolvedAttribute(accessor.invoke(record));
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Object exceptions(CompilerExceptions ex, String name, List<Object> a, EvaluationContextImpl ctx, int line) {
        Frame frame = JinjaExtension.frame(ctx);
        SourceLocation here = SourceLocation.of(frame == null ? null : frame.file(), line);
        return switch (name) {
            case "raise_compiler_error" -> throw new RaisedError(a.isEmpty() ? "compiler error" : Values.str(a.get(0)), here);
            // dbt's other raisers that packages call, with dbt's messages.
            case "raise_not_implemented" -> throw new RaisedError("Not implemented: " + str(a, 0), here);
            case "raise_database_error" -> throw new RaisedError("Database Error: " + str(a, 0), here);
            case "raise_dependency_error" -> throw new RaisedError("Dependency Error: " + str(a, 0), here);
            case "raise_fail_fast_error" -> throw new RaisedError("Failing early due to test failure or runtime error: " + str(a, 0), here);
            case "missing_config" -> throw new RaisedError("Model '" + nodeName(arg(a, 0, null))
                    + "' does not define a required config parameter '" + str(a, 1) + "'.", here);
            case "missing_materialization" -> throw new RaisedError("No materialization '" + materializationOf(arg(a, 0, null))
                    + "' was found for adapter " + str(a, 1) + "! (searched types 'default' and '" + str(a, 1) + "')", here);
            case "missing_relation" -> throw new RaisedError("Relation " + str(a, 0) + " not found!", here);
            case "relation_wrong_type" -> throw new RaisedError("Trying to create " + str(a, 1) + " " + str(a, 0)
                    + ", but it currently exists as a " + Values.str(JinjaAttributes.attributeOrNull(arg(a, 0, null), "type"))
                    + ". Either drop " + str(a, 0) + " manually, or run with `--full-refresh` and it will be dropped for you.", here);
            case "column_type_missing" -> throw new RaisedError("Contracted models require data_type to be defined for each "
                    + "column. Please ensure that the column name and data_type are defined within the YAML configuration "
                    + "for the " + str(a, 0) + " column(s).", here);
            case "warn" -> {
                ex.warn((frame == null ? "" : here + ": ") + (a.isEmpty() ? "" : Values.str(a.get(0))));
                yield "";
            }
            default -> UNKNOWN;
        };
    }

    /** An error the template raised on purpose: its message is the user's, unadorned. */
    static final class RaisedError extends CompilationException {
        RaisedError(String message, SourceLocation location) {
            super(message, location);
        }
    }

    private static String str(List<Object> a, int k) {
        return Values.str(arg(a, k, ""));
    }

    /** A node passed to a raiser (dbt passes model): its unique id, else what it prints as. */
    private static String nodeName(Object model) {
        return model instanceof Map<?, ?> m && m.get("unique_id") != null ? String.valueOf(m.get("unique_id")) : Values.str(model);
    }

    private static String materializationOf(Object model) {
        return model instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c && c.get("materialized") != null
                ? String.valueOf(c.get("materialized")) : Values.str(model);
    }

    /** An attribute of an engine object (a relation's type) for a message; null when it has none. */
    static Object attributeOrNull(Object o, String name) {
        if (o instanceof Map<?, ?> m) return m.get(name);
        if (o instanceof JinjaObject j) {
            try {
                Object v = j.attribute(name);
                return v == JinjaObject.MISSING ? null : v;
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Object arg(List<Object> a, int k, Object fallback) {
        return k < a.size() ? a.get(k) : fallback;
    }

    private static Object stringMethod(String s, String name, List<Object> a, Map<String, Object> kw) {
        switch (name) {
            case "__slice": return slice(s, a);
            case "upper": return s.toUpperCase();
            case "lower": return s.toLowerCase();
            case "strip": return a.isEmpty() ? s.strip() : stripChars(s, Values.str(a.get(0)), true, true);
            case "lstrip": return a.isEmpty() ? s.stripLeading() : stripChars(s, Values.str(a.get(0)), true, false);
            case "rstrip": return a.isEmpty() ? s.stripTrailing() : stripChars(s, Values.str(a.get(0)), false, true);
            case "title": return JinjaFilters.title(s);
            case "capitalize": return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase();
            case "startswith": return s.startsWith(Values.str(arg(a, 0, "")));
            case "endswith": return s.endsWith(Values.str(arg(a, 0, "")));
            case "replace": return s.replace(Values.str(arg(a, 0, "")), Values.str(arg(a, 1, "")));
            case "split": return split(s, a.isEmpty() || a.get(0) == null ? null : Values.str(a.get(0)),
                    Values.toNumber(arg(a, 1, -1L), -1L).intValue());
            case "join": {
                List<String> parts = new ArrayList<>();
                for (Object o : Values.toList(arg(a, 0, List.of()))) parts.add(Values.str(o));
                return String.join(s, parts);
            }
            case "find": return (long) s.indexOf(Values.str(arg(a, 0, "")));
            case "count": return (long) (s.isEmpty() ? 0 : s.split(java.util.regex.Pattern.quote(Values.str(arg(a, 0, ""))), -1).length - 1);
            case "isdigit": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isupper": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "islower": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "format": return PyFormat.braces(s, a, kw);
            case "zfill": {
                int w = Values.toNumber(arg(a, 0, 0L), 0L).intValue();
                boolean sign = s.startsWith("-") || s.startsWith("+");
                if (s.length() >= w) return s;
                return (sign ? s.substring(0, 1) : "") + "0".repeat(w - s.length()) + (sign ? s.substring(1) : s);
            }
            case "ljust": return s.length() >= Values.toNumber(arg(a, 0, 0L), 0L).intValue() ? s
                    : s + Values.str(arg(a, 1, " ")).repeat(Values.toNumber(arg(a, 0, 0L), 0L).intValue() - s.length());
            case "rjust": return s.length() >= Values.toNumber(arg(a, 0, 0L), 0L).intValue() ? s
                    : Values.str(arg(a, 1, " ")).repeat(Values.toNumber(arg(a, 0, 0L), 0L).intValue() - s.length()) + s;
            case "index": {
                int at = s.indexOf(Values.str(arg(a, 0, "")));
                if (at < 0) throw new IllegalArgumentException("substring not found");
                return (long) at;
            }
            case "rfind": return (long) s.lastIndexOf(Values.str(arg(a, 0, "")));
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum": return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "swapcase": {
                StringBuilder sb = new StringBuilder();
                for (char ch : s.toCharArray()) sb.append(Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
                return sb.toString();
            }
            case "rsplit": {
                List<Object> parts = split(s, a.isEmpty() || a.get(0) == null ? null : Values.str(a.get(0)), -1);
                int max = Values.toNumber(arg(a, 1, -1L), -1L).intValue();
                if (max < 0 || parts.size() <= max + 1 || a.isEmpty() || a.get(0) == null) return parts;
                String sep = Values.str(a.get(0));
                List<Object> out = new ArrayList<>();
                List<String> head = new ArrayList<>();
                for (Object p : parts.subList(0, parts.size() - max)) head.add(String.valueOf(p));
                out.add(String.join(sep, head));
                out.addAll(parts.subList(parts.size() - max, parts.size()));
                return out;
            }
            case "splitlines": return new ArrayList<Object>(s.lines().toList());
            default: return UNKNOWN;
        }
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) b++;
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) e--;
        return s.substring(b, e);
    }

    /** Python's str.split: literal separator; without one, runs of whitespace. */
    static List<Object> split(String s, String sep, int maxSplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            for (String p : s.strip().split("\\s+", maxSplit < 0 ? 0 : maxSplit + 1)) {
                if (!p.isEmpty()) out.add(p);
            }
            return out;
        }
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int from = 0;
        int idx;
        while ((maxSplit < 0 || out.size() < maxSplit) && (idx = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, idx));
            from = idx + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** Python's x[start:stop:step] (JinjaTranslator writes it as x.__slice(start, stop, step)). */
    static Object slice(Object seq, List<Object> a) {
        List<Object> items = Values.toList(seq);
        int n = items.size();
        long step = a.size() > 2 && a.get(2) != null ? Values.toNumber(a.get(2), 1L).longValue() : 1;
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        long start = bound(a.isEmpty() ? null : a.get(0), n, step > 0 ? 0 : n - 1, step);
        long stop = bound(a.size() > 1 ? a.get(1) : null, n, step > 0 ? n : -1, step);
        List<Object> out = new ArrayList<>();
        for (long k = start; step > 0 ? k < stop : k > stop; k += step) out.add(items.get((int) k));
        if (seq instanceof CharSequence) {
            StringBuilder sb = new StringBuilder();
            for (Object o : out) sb.append(o);
            return sb.toString();
        }
        return out;
    }

    private static long bound(Object v, int n, long dflt, long step) {
        if (v == null) return dflt;
        long k = Values.toNumber(v, 0L).longValue();
        if (k < 0) k += n;
        if (step > 0) return Math.max(0, Math.min(k, n));
        return Math.max(-1, Math.min(k, n - 1));
    }

    @SuppressWarnings("unchecked")
    private static Object mapMethod(Map<?, ?> m0, String name, List<Object> a) {
        Map<Object, Object> m = (Map<Object, Object>) m0;
        switch (name) {
            case "get": {
                Object key = arg(a, 0, null);
                return m.containsKey(key) ? m.get(key) : arg(a, 1, null);
            }
            case "keys": return new ArrayList<>(m.keySet());
            case "values": return new ArrayList<>(m.values());
            case "items": {
                List<Object> out = new ArrayList<>();
                for (Map.Entry<Object, Object> e : m.entrySet()) out.add(new Tuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
                return out;
            }
            case "update": {
                if (!a.isEmpty() && a.get(0) instanceof Map<?, ?> other) m.putAll((Map<Object, Object>) other);
                return null;
            }
            case "pop": {
                Object key = arg(a, 0, null);
                return m.containsKey(key) ? m.remove(key) : arg(a, 1, null);
            }
            case "setdefault": {
                Object key = arg(a, 0, null);
                if (!m.containsKey(key)) m.put(key, arg(a, 1, null));
                return m.get(key);
            }
            case "copy": return new java.util.LinkedHashMap<>(m);
            default: return UNKNOWN;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object listMethod(List<?> l0, String name, List<Object> a) {
        List<Object> l = (List<Object>) l0;
        switch (name) {
            case "__slice": return slice(l, a);
            case "append": l.add(arg(a, 0, null)); return null;
            case "extend": l.addAll(Values.toList(arg(a, 0, List.of()))); return null;
            case "insert": l.add(Values.toNumber(arg(a, 0, 0L), 0L).intValue(), arg(a, 1, null)); return null;
            case "pop": {
                int k = a.isEmpty() ? l.size() - 1 : Values.toNumber(a.get(0), -1L).intValue();
                return l.remove(k < 0 ? l.size() + k : k);
            }
            case "remove": l.remove(arg(a, 0, null)); return null;
            case "index": return (long) l.indexOf(arg(a, 0, null));
            case "count": return l.stream().filter(o -> Values.equal(o, arg(a, 0, null))).count();
            case "copy": return new ArrayList<>(l);
            case "reverse": java.util.Collections.reverse(l); return null;
            case "sort": l.sort(Values::compare); return null;
            default: return UNKNOWN;
        }
    }
}
