package dev.sluice.template;

import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
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

    private record Named(List<String> names, Body body) implements Filter {
        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return body.apply(input, args);
        }

        @Override
        public List<String> getArgumentNames() {
            return names;
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
            boolean missing = in == null || (useFalsy && !Values.truthy(in));
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
        put(f, "map", List.of("attribute"), (in, a) -> {
            List<Object> out = new ArrayList<>();
            for (Object o : Values.toList(in)) out.add(attr(o, a.get("attribute")));
            return out;
        });
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
            for (int k = 0; k < a.size(); k++) args.add(a.get(String.valueOf(k)));
            return PyFormat.percent(Values.str(in), args, null);
        });
        return f;
    }

    private static void put(Map<String, Filter> f, String name, List<String> names, Body body) {
        f.put(name, new Named(names, body));
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
