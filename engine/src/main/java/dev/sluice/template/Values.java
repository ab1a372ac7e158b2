package dev.sluice.template;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Python/Jinja value semantics over plain Java objects: truthiness, membership, conversions. */
final class Values {

    private Values() {
    }

    static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof CharSequence s) return s.length() > 0;
        if (v instanceof Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v.getClass().isArray()) return Array.getLength(v) > 0;
        return true;
    }

    /** `needle in haystack`: list element, substring, or map key. */
    static boolean contains(Object haystack, Object needle) {
        if (haystack == null) return false;
        if (haystack instanceof CharSequence s) return needle != null && s.toString().contains(String.valueOf(needle));
        if (haystack instanceof Map<?, ?> m) {
            // A map that finds keys it does not list (dbt's context finds macros by name) answers for itself.
            if (needle instanceof String && m.containsKey(needle)) return true;
            for (Object k : m.keySet()) {
                if (equal(k, needle)) return true;
            }
            return false;
        }
        for (Object o : toList(haystack)) {
            if (equal(o, needle)) return true;
        }
        return false;
    }

    /** Equality where 1 == 1.0 as in Python. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    static List<Object> toList(Object v) {
        List<Object> out = new ArrayList<>();
        if (v == null) return out;
        if (v instanceof Map<?, ?> m) {
            out.addAll(m.keySet());
        } else if (v instanceof Iterable<?> it) {
            for (Object o : it) out.add(o);
        } else if (v instanceof Iterator<?> it) {
            it.forEachRemaining(out::add);
        } else if (v.getClass().isArray()) {
            for (int k = 0; k < Array.getLength(v); k++) out.add(Array.get(v, k));
        } else if (v instanceof CharSequence s) {
            s.chars().forEach(ch -> out.add(String.valueOf((char) ch)));
        } else {
            out.add(v);
        }
        return out;
    }

    /** What {{ v }} prints, close to Python's str() for the values templates handle. */
    static String str(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof CharSequence) return v.toString();
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof Tuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int k = 0; k < t.size(); k++) sb.append(k > 0 ? ", " : "").append(repr(t.get(k)));
            return sb.append(t.size() == 1 ? ",)" : ")").toString();
        }
        if (v instanceof Collection<?> || v.getClass().isArray()) {
            StringBuilder sb = new StringBuilder("[");
            boolean first = true;
            for (Object o : toList(v)) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(repr(o));
            }
            return sb.append(']').toString();
        }
        return v.toString();
    }

    /** Python's name for a value's type, for error messages as Jinja words them. */
    static String typeName(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Number n) return isIntegral(n) ? "int" : "float";
        if (v instanceof CharSequence) return "str";
        if (v instanceof Namespace) return "Namespace";
        if (v instanceof Map<?, ?>) return "dict";
        if (v instanceof Tuple) return "tuple";
        if (v instanceof Collection<?> || v.getClass().isArray()) return "list";
        if (v instanceof JinjaLoop) return "LoopContext";
        return v.getClass().getSimpleName();
    }

    static String repr(Object v) {
        if (v == null) return "None";
        if (v instanceof CharSequence s) return "'" + s.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
        return str(v);
    }

    static Number toNumber(Object v, Number fallback) {
        if (v instanceof Number n) return n;
        if (v instanceof Boolean b) return b ? 1L : 0L;
        if (v == null) return fallback;
        String s = v.toString().trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                return fallback;
            }
        }
    }

    static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof java.math.BigInteger;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a == null) return b == null ? 0 : -1;
        if (b == null) return 1;
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Comparable c && a.getClass().isInstance(b)) return c.compareTo(b);
        return str(a).compareTo(str(b));
    }
}
