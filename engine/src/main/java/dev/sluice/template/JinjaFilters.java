package dev.sluice.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Test;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Jinja's filters with Jinja's argument forms and semantics, replacing Pebble's namesakes. */
final class JinjaFilters {

    private JinjaFilters() {
    }

    /** A filter body: input plus arguments, positional ones named in declaration order. */
    @FunctionalInterface
    interface Body {
        Object apply(Object input, Map<String, Object> args);
    }

    /** A filter body that applies other filters or tests by name (map('lower'), select('odd')). */
    @FunctionalInterface
    interface CtxBody {
        Object apply(Object input, Map<String, Object> args, Registry registry);
    }

    /** Filters and tests by name, for filters that take one as an argument. */
    record Registry(PebbleTemplate self, EvaluationContext ctx, int line) {
        Object filter(String name, Object input, List<Object> args) {
            Filter f = ((EvaluationContextImpl) ctx).getExtensionRegistry().getFilter(name);
            if (f == null) throw new IllegalArgumentException("no filter named '" + name + "'");
            Map<String, Object> a = new HashMap<>();
            for (int k = 0; k < args.size(); k++) a.put(String.valueOf(k), args.get(k));
            return f.apply(input, a, self, ctx, line);
        }

        boolean test(String name, Object input, List<Object> args) {
            Test t = ((EvaluationContextImpl) ctx).getExtensionRegistry().getTest(name);
            if (t == null) throw new IllegalArgumentException("no test named '" + name + "'");
            Map<String, Object> a = new HashMap<>();
            List<String> names = t.getArgumentNames();
            for (int k = 0; k < args.size(); k++) a.put(names != null && k < names.size() ? names.get(k) : String.valueOf(k), args.get(k));
            return t.apply(input, a, self, ctx, line);
        }
    }

    /**
     * Jinja's argument binding: JinjaTranslator passes every argument positionally (named ones as KwArgs), so
     * positional ones are matched to names here and a misspelt name is an error rather than dropped.
     */
    private record Named(String filter, List<String> names, CtxBody body) implements Filter {
        @Override
        public Object apply(Object input, Map<String, Object> raw, PebbleTemplate self, EvaluationContext ctx, int line) {
            List<Object> values = new ArrayList<>();
            for (int k = 0; raw.containsKey(String.valueOf(k)); k++) values.add(raw.get(String.valueOf(k)));
            CallArgs call = CallArgs.of(values);
            Map<String, Object> args = new HashMap<>();
            List<Object> pos = call.positional();
            if (names == null) {
                for (int k = 0; k < pos.size(); k++) args.put(String.valueOf(k), pos.get(k));
                args.putAll(call.kwargs());
            } else {
                if (pos.size() > names.size()) {
                    throw new PebbleException(null, "filter '" + filter + "' takes at most " + names.size()
                            + " argument(s), got " + pos.size(), line, self.getName());
                }
                for (int k = 0; k < pos.size(); k++) args.put(names.get(k), pos.get(k));
                for (Map.Entry<String, Object> e : call.kwargs().entrySet()) {
                    if (!names.contains(e.getKey())) {
                        throw new PebbleException(null, "filter '" + filter + "' got an unexpected keyword argument '"
                                + e.getKey() + "'", line, self.getName());
                    }
                    args.put(e.getKey(), e.getValue());
                }
            }
            try {
                return body.apply(input, args, new Registry(self, ctx, line));
            } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
                throw new PebbleException(e, "error in filter '" + filter + "': " + e.getMessage(), line, self.getName());
            }
        }

        @Override
        public List<String> getArgumentNames() {
            return null;
        }
    }

    static Map<String, Filter> all() {
        Map<String, Filter> f = new HashMap<>();
        put(f, "join", List.of("d", "attribute"), (in, a) -> {
            List<String> parts = new ArrayList<>();
            for (Object o : Values.toList(in)) parts.add(Values.str(attr(o, a.get("attribute"))));
            return String.join(a.get("d") == null ? "" : Values.str(a.get("d")), parts);
        });
        put(f, "upper", List.of(), (in, a) -> Values.str(in).toUpperCase());
        put(f, "lower", List.of(), (in, a) -> Values.str(in).toLowerCase());
        put(f, "trim", List.of("chars"), (in, a) -> Values.str(in).strip());
        put(f, "capitalize", List.of(), (in, a) -> {
            String s = Values.str(in);
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase();
        });
        put(f, "title", List.of(), (in, a) -> title(Values.str(in)));
        Body length = (in, a) -> {
            if (in == null) return 0L;
            if (in instanceof CharSequence s) return (long) s.length();
            if (in instanceof Map<?, ?> m) return (long) m.size();
            return (long) Values.toList(in).size();
        };
        put(f, "length", List.of(), length);
        put(f, "count", List.of(), length);
        Body dflt = (in, a) -> {
            boolean useFalsy = Values.truthy(a.get("boolean"));
            boolean missing = in == null || in instanceof Undefined || (useFalsy && !Values.truthy(in));
            return missing ? a.get("default_value") : in;
        };
        put(f, "default", List.of("default_value", "boolean"), dflt);
        put(f, "d", List.of("default_value", "boolean"), dflt);
        put(f, "replace", List.of("old", "new", "count"), (in, a) -> {
            String s = Values.str(in);
            // Pebble's own form replace({'a': 'b'}) keeps working alongside Jinja's replace('a', 'b').
            if (a.get("old") instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) s = s.replace(Values.str(e.getKey()), Values.str(e.getValue()));
                return s;
            }
            String old = Values.str(a.get("old"));
            String rep = Values.str(a.get("new"));
            if (a.get("count") == null) return s.replace(old, rep);
            int n = Values.toNumber(a.get("count"), -1L).intValue();
            StringBuilder sb = new StringBuilder();
            int from = 0;
            int idx;
            while (n-- > 0 && !old.isEmpty() && (idx = s.indexOf(old, from)) >= 0) {
                sb.append(s, from, idx).append(rep);
                from = idx + old.length();
            }
            return sb.append(s.substring(from)).toString();
        });
        put(f, "list", List.of(), (in, a) -> Values.toList(in));
        put(f, "string", List.of(), (in, a) -> Values.str(in));
        put(f, "int", List.of("default", "base"), (in, a) -> {
            Number n = Values.toNumber(in, null);
            if (n == null) return Values.toNumber(a.get("default"), 0L).longValue();
            return n.longValue();
        });
        put(f, "float", List.of("default"), (in, a) -> {
            Number n = Values.toNumber(in, null);
            if (n == null) return Values.toNumber(a.get("default"), 0.0).doubleValue();
            return n.doubleValue();
        });
        put(f, "round", List.of("precision", "method"), (in, a) -> {
            int precision = Values.toNumber(a.get("precision"), 0L).intValue();
            String method = a.get("method") == null ? "common" : Values.str(a.get("method"));
            RoundingMode mode = switch (method) {
                case "ceil" -> RoundingMode.CEILING;
                case "floor" -> RoundingMode.FLOOR;
                default -> RoundingMode.HALF_UP;
            };
            BigDecimal v = new BigDecimal(Values.toNumber(in, 0L).toString()).setScale(precision, mode);
            return v.doubleValue();
        });
        put(f, "abs", List.of(), (in, a) -> {
            Number n = Values.toNumber(in, 0L);
            return Values.isIntegral(n) ? (Object) Math.abs(n.longValue()) : (Object) Math.abs(n.doubleValue());
        });
        put(f, "first", List.of(), (in, a) -> {
            if (in instanceof CharSequence s) return s.length() == 0 ? null : String.valueOf(s.charAt(0));
            List<Object> l = Values.toList(in);
            return l.isEmpty() ? null : l.get(0);
        });
        put(f, "last", List.of(), (in, a) -> {
            if (in instanceof CharSequence s) return s.length() == 0 ? null : String.valueOf(s.charAt(s.length() - 1));
            List<Object> l = Values.toList(in);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        });
        put(f, "sort", List.of("reverse", "case_sensitive", "attribute"), (in, a) -> {
            List<Object> l = Values.toList(in);
            Object attribute = a.get("attribute");
            l.sort((x, y) -> Values.compare(attr(x, attribute), attr(y, attribute)));
            if (Values.truthy(a.get("reverse"))) java.util.Collections.reverse(l);
            return l;
        });
        put(f, "reverse", List.of(), (in, a) -> {
            if (in instanceof CharSequence s) return new StringBuilder(s).reverse().toString();
            List<Object> l = Values.toList(in);
            java.util.Collections.reverse(l);
            return l;
        });
        put(f, "unique", List.of("case_sensitive", "attribute"), (in, a) -> new ArrayList<>(new LinkedHashSet<>(Values.toList(in))));
        putCtx(f, "map", null, (in, a, r) -> {
            // map(attribute='x', default=d) or map('filter', args...)
            List<Object> out = new ArrayList<>();
            if (a.containsKey("attribute")) {
                for (Object o : Values.toList(in)) {
                    Object v = attr(o, a.get("attribute"));
                    out.add(v == null ? a.get("default") : v);
                }
                return out;
            }
            if (!a.containsKey("0")) throw new IllegalArgumentException("map needs a filter name or attribute=");
            List<Object> extra = new ArrayList<>();
            for (int k = 1; a.containsKey(String.valueOf(k)); k++) extra.add(a.get(String.valueOf(k)));
            String filter = Values.str(a.get("0"));
            for (Object o : Values.toList(in)) out.add(r.filter(filter, o, extra));
            return out;
        });
        putCtx(f, "select", null, (in, a, r) -> choose(in, a, r, true, false));
        putCtx(f, "reject", null, (in, a, r) -> choose(in, a, r, false, false));
        putCtx(f, "selectattr", null, (in, a, r) -> choose(in, a, r, true, true));
        putCtx(f, "rejectattr", null, (in, a, r) -> choose(in, a, r, false, true));
        put(f, "attr", List.of("name"), (in, a) -> attr(in, a.get("name")));
        put(f, "indent", List.of("width", "first", "blank"), (in, a) -> {
            String pad = a.get("width") instanceof CharSequence w ? w.toString()
                    : " ".repeat(Values.toNumber(a.get("width"), 4L).intValue());
            String[] lines = Values.str(in).split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < lines.length; k++) {
                if (k > 0) sb.append('\n');
                boolean indent = (k > 0 || Values.truthy(a.get("first"))) && (!lines[k].isBlank() || Values.truthy(a.get("blank")));
                sb.append(indent ? pad : "").append(lines[k]);
            }
            return sb.toString();
        });
        put(f, "dictsort", List.of("case_sensitive", "by", "reverse"), (in, a) -> {
            if (!(in instanceof Map<?, ?> m)) throw new IllegalArgumentException("dictsort needs a mapping");
            boolean byValue = "value".equals(a.get("by"));
            List<Object> pairs = new ArrayList<>();
            m.forEach((k, v) -> pairs.add(new Tuple(Arrays.asList(k, v))));
            pairs.sort((x, y) -> Values.compare(((List<?>) x).get(byValue ? 1 : 0), ((List<?>) y).get(byValue ? 1 : 0)));
            if (Values.truthy(a.get("reverse"))) java.util.Collections.reverse(pairs);
            return pairs;
        });
        put(f, "groupby", List.of("attribute", "default", "case_sensitive"), (in, a) -> {
            // Jinja2's groupby: items sorted by the attribute, consecutive equal ones grouped as (grouper, list).
            Object attribute = a.get("attribute");
            if (attribute == null) throw new IllegalArgumentException("groupby needs an attribute");
            java.util.function.Function<Object, Object> key = o -> {
                Object k = attr(o, attribute);
                return k == null ? a.get("default") : k;
            };
            List<Object> items = new ArrayList<>(Values.toList(in));
            items.sort((x, y) -> Values.compare(key.apply(x), key.apply(y)));
            List<Object> out = new ArrayList<>();
            GroupTuple current = null;
            for (Object o : items) {
                Object k = key.apply(o);
                if (current == null || !Values.equal(current.grouper, k)) {
                    current = new GroupTuple(k);
                    out.add(current);
                }
                current.list.add(o);
            }
            return out;
        });
        put(f, "batch", List.of("linecount", "fill_with"), (in, a) -> {
            int n = Values.toNumber(a.get("linecount"), 1L).intValue();
            if (n <= 0) throw new IllegalArgumentException("batch size must be positive");
            List<Object> out = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (Object o : Values.toList(in)) {
                cur.add(o);
                if (cur.size() == n) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            }
            if (!cur.isEmpty()) {
                while (a.containsKey("fill_with") && cur.size() < n) cur.add(a.get("fill_with"));
                out.add(cur);
            }
            return out;
        });
        put(f, "truncate", List.of("length", "killwords", "end", "leeway"), (in, a) -> {
            String s = Values.str(in);
            int max = Values.toNumber(a.get("length"), 255L).intValue();
            String end = a.containsKey("end") ? Values.str(a.get("end")) : "...";
            int leeway = Values.toNumber(a.get("leeway"), 5L).intValue();
            if (s.length() <= max + leeway) return s;
            String cut = s.substring(0, Math.max(0, max - end.length()));
            if (!Values.truthy(a.get("killwords")) && cut.lastIndexOf(' ') > 0) cut = cut.substring(0, cut.lastIndexOf(' '));
            return cut + end;
        });
        put(f, "wordcount", List.of(), (in, a) -> (long) JinjaAttributes.split(Values.str(in), null, -1).size());
        put(f, "center", List.of("width"), (in, a) -> {
            String s = Values.str(in);
            int w = Values.toNumber(a.get("width"), 80L).intValue();
            if (s.length() >= w) return s;
            int left = (w - s.length()) / 2;
            return " ".repeat(left) + s + " ".repeat(w - s.length() - left);
        });
        // SQL is not HTML: safe and escape leave text as it is, as dbt's environment does with autoescape off.
        put(f, "safe", List.of(), (in, a) -> Values.str(in));
        put(f, "e", List.of(), (in, a) -> Values.str(in));
        put(f, "escape", List.of(), (in, a) -> Values.str(in));
        put(f, "striptags", List.of(), (in, a) -> Values.str(in).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").strip());
        // dbt's own filters, used in project and YAML configs.
        put(f, "as_text", List.of(), (in, a) -> Values.str(in));
        put(f, "as_native", List.of(), (in, a) -> in);
        put(f, "as_bool", List.of(), (in, a) -> in instanceof CharSequence s
                ? (Object) (s.toString().strip().equalsIgnoreCase("true") ? Boolean.TRUE
                : s.toString().strip().equalsIgnoreCase("false") ? Boolean.FALSE : in) : in);
        put(f, "as_number", List.of(), (in, a) -> in instanceof CharSequence ? Values.toNumber(in, null) : in);
        put(f, "sum", List.of("attribute", "start"), (in, a) -> {
            BigDecimal total = new BigDecimal(Values.toNumber(a.get("start"), 0L).toString());
            boolean integral = true;
            for (Object o : Values.toList(in)) {
                Number n = Values.toNumber(attr(o, a.get("attribute")), 0L);
                integral &= Values.isIntegral(n);
                total = total.add(new BigDecimal(n.toString()));
            }
            return integral ? (Object) total.longValue() : (Object) total.doubleValue();
        });
        put(f, "max", List.of(), (in, a) -> Values.toList(in).stream().max(Values::compare).orElse(null));
        put(f, "min", List.of(), (in, a) -> Values.toList(in).stream().min(Values::compare).orElse(null));
        put(f, "items", List.of(), (in, a) -> {
            List<Object> out = new ArrayList<>();
            if (in instanceof Map<?, ?> m) m.forEach((k, v) -> out.add(new ArrayList<>(Arrays.asList(k, v))));
            return out;
        });
        put(f, "tojson", List.of(), (in, a) -> json(in));
        put(f, "format", null, (in, a) -> {
            List<Object> args = new ArrayList<>();
            for (int k = 0; a.containsKey(String.valueOf(k)); k++) args.add(a.get(String.valueOf(k)));
            Map<String, Object> named = new HashMap<>(a);
            named.keySet().removeIf(k -> k.chars().allMatch(Character::isDigit));
            return PyFormat.percent(Values.str(in), args, named.isEmpty() ? null : named);
        });
        return f;
    }

    private static void put(Map<String, Filter> f, String name, List<String> names, Body body) {
        f.put(name, new Named(name, names, (in, a, r) -> body.apply(in, a)));
    }

    private static void putCtx(Map<String, Filter> f, String name, List<String> names, CtxBody body) {
        f.put(name, new Named(name, names, body));
    }

    /** select / reject / selectattr / rejectattr: keep items whose (attribute's) test passes, or fails. */
    private static Object choose(Object in, Map<String, Object> a, Registry r, boolean keep, boolean byAttribute) {
        List<Object> out = new ArrayList<>();
        List<Object> rest = new ArrayList<>();
        for (int k = byAttribute ? 1 : 0; a.containsKey(String.valueOf(k)); k++) rest.add(a.get(String.valueOf(k)));
        String test = rest.isEmpty() ? null : Values.str(rest.remove(0));
        for (Object o : Values.toList(in)) {
            Object v = byAttribute ? attr(o, a.get("0")) : o;
            boolean pass = test == null ? Values.truthy(v) : r.test(test, v, rest);
            if (pass == keep) out.add(o);
        }
        return out;
    }

    /**
     * One group of the groupby filter: a pair (for grouper, items in ...) with Jinja2's attribute names,
     * grouper and list.
     */
    static final class GroupTuple extends java.util.AbstractList<Object> implements JinjaObject {
        final Object grouper;
        final List<Object> list = new ArrayList<>();

        GroupTuple(Object grouper) {
            this.grouper = grouper;
        }

        @Override
        public Object get(int index) {
            return switch (index) {
                case 0 -> grouper;
                case 1 -> list;
                default -> throw new IndexOutOfBoundsException("tuple index " + index + " out of range");
            };
        }

        @Override
        public int size() {
            return 2;
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "grouper", "0" -> grouper;
                case "list", "1" -> list;
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return "_GroupTuple";
        }
    }

    /** Item lookup for attribute= arguments: map key or record component. */
    private static Object attr(Object o, Object attribute) {
        if (attribute == null || o == null) return o;
        String name = Values.str(attribute);
        if (o instanceof JinjaObject j) {
            Object v = j.attribute(name);
            return v == JinjaObject.MISSING ? null : v;
        }
        if (o instanceof Map<?, ?> m) return m.get(name);
        if (o instanceof List<?> l && attribute instanceof Number k) return k.intValue() < l.size() ? l.get(k.intValue()) : null;
        if (o.getClass().isRecord()) {
            for (var c : o.getClass().getRecordComponents()) {
                if (c.getName().equals(name)) {
                    try {
                        c.getAccessor().setAccessible(true);
                        return c.getAccessor().invoke(o);
                    } catch (ReflectiveOperationException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (char ch : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            start = !Character.isLetterOrDigit(ch);
        }
        return sb.toString();
    }

    static String json(Object v) {
        if (v == null) return "null";
        if (v instanceof Boolean || v instanceof Number) return v.toString();
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(json(Values.str(e.getKey()))).append(": ").append(json(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof Collection<?> || v.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (Object o : Values.toList(v)) parts.add(json(o));
            return "[" + String.join(", ", parts) + "]";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : Values.str(v).toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.append('"').toString();
    }
}
