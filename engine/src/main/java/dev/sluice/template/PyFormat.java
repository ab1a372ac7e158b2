package dev.sluice.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python's string formatting: the % operator and the format filter, and str.format(). */
final class PyFormat {

    private PyFormat() {
    }

    /** {@code fmt % rhs}: a list is the argument tuple when it has one item per conversion, a dict fills %(name)s. */
    static String percent(String fmt, Object rhs) {
        List<Object> args;
        Map<?, ?> named = rhs instanceof Map<?, ?> m ? m : null;
        int specs = countSpecs(fmt);
        if (rhs instanceof List<?> l && (l.size() == specs || specs != 1)) {
            args = Values.toList(l);
        } else {
            args = new java.util.ArrayList<>();
            args.add(rhs);
        }
        return percent(fmt, args, named);
    }

    private static int countSpecs(String fmt) {
        int n = 0;
        for (int k = 0; k < fmt.length(); k++) {
            if (fmt.charAt(k) != '%') continue;
            if (k + 1 < fmt.length() && fmt.charAt(k + 1) == '%') {
                k++;
                continue;
            }
            n++;
        }
        return n;
    }

    /** printf-style formatting with Python's conversions (s r d i f F e E g G x X o c %). */
    static String percent(String fmt, List<Object> args, Map<?, ?> named) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        int n = fmt.length();
        for (int k = 0; k < n; k++) {
            char ch = fmt.charAt(k);
            if (ch != '%') {
                sb.append(ch);
                continue;
            }
            if (++k >= n) throw new IllegalArgumentException("incomplete format");
            Object value = null;
            boolean haveValue = false;
            if (fmt.charAt(k) == '(') {
                int close = fmt.indexOf(')', k);
                if (close < 0) throw new IllegalArgumentException("incomplete format key");
                if (named == null) throw new IllegalArgumentException("format requires a mapping");
                String key = fmt.substring(k + 1, close);
                if (!named.containsKey(key)) throw new IllegalArgumentException("format key '" + key + "' is missing");
                value = named.get(key);
                haveValue = true;
                k = close + 1;
            }
            int start = k;
            while (k < n && "-+ #0".indexOf(fmt.charAt(k)) >= 0) k++;
            String flags = fmt.substring(start, k);
            int ws = k;
            while (k < n && (Character.isDigit(fmt.charAt(k)) || fmt.charAt(k) == '*')) k++;
            String width = fmt.substring(ws, k);
            String precision = null;
            if (k < n && fmt.charAt(k) == '.') {
                int ps = ++k;
                while (k < n && Character.isDigit(fmt.charAt(k))) k++;
                precision = fmt.substring(ps, k);
            }
            if (k >= n) throw new IllegalArgumentException("incomplete format");
            char conv = fmt.charAt(k);
            if (conv == '%') {
                sb.append('%');
                continue;
            }
            if (width.equals("*")) {
                width = String.valueOf(Values.toNumber(args.get(next++), 0L).intValue());
            }
            if (!haveValue) {
                if (next >= args.size()) throw new IllegalArgumentException("not enough arguments for format string");
                value = args.get(next++);
            }
            sb.append(convert(value, flags, width, precision, conv));
        }
        if (named == null && next < args.size()) {
            throw new IllegalArgumentException("not all arguments converted during string formatting");
        }
        return sb.toString();
    }

    private static String convert(Object value, String flags, String width, String precision, char conv) {
        String body;
        boolean numeric = true;
        switch (conv) {
            case 's' -> {
                body = Values.str(value);
                if (precision != null && !precision.isEmpty()) body = body.substring(0, Math.min(body.length(), Integer.parseInt(precision)));
                numeric = false;
            }
            case 'r' -> {
                body = Values.repr(value);
                numeric = false;
            }
            case 'd', 'i', 'u' -> body = integer(value).toString();
            case 'x', 'X', 'o' -> {
                long v = integer(value);
                String digits = conv == 'o' ? Long.toOctalString(Math.abs(v)) : Long.toHexString(Math.abs(v));
                if (flags.contains("#")) digits = (conv == 'o' ? "0o" : conv == 'x' ? "0x" : "0X") + digits;
                body = (v < 0 ? "-" : "") + (conv == 'X' ? digits.toUpperCase(Locale.ROOT) : digits);
            }
            case 'f', 'F', 'e', 'E', 'g', 'G' -> {
                int p = precision == null || precision.isEmpty() ? 6 : Integer.parseInt(precision);
                double d = number(value).doubleValue();
                String spec = "%." + p + (conv == 'F' ? 'f' : conv);
                body = String.format(Locale.ROOT, spec, d);
                if ((conv == 'g' || conv == 'G') && !flags.contains("#")) body = trimG(body);
            }
            case 'c' -> {
                body = value instanceof Number num ? String.valueOf((char) num.intValue()) : Values.str(value);
                numeric = false;
            }
            default -> throw new IllegalArgumentException("unsupported format character '" + conv + "'");
        }
        if (numeric && !body.startsWith("-")) {
            if (flags.contains("+")) body = "+" + body;
            else if (flags.contains(" ")) body = " " + body;
        }
        int w = width.isEmpty() ? 0 : Integer.parseInt(width);
        if (body.length() >= w) return body;
        String pad;
        if (flags.contains("-")) return body + " ".repeat(w - body.length());
        if (numeric && flags.contains("0")) {
            int signLen = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
            pad = "0".repeat(w - body.length());
            return body.substring(0, signLen) + pad + body.substring(signLen);
        }
        return " ".repeat(w - body.length()) + body;
    }

    /** Java's %g keeps trailing zeros; Python's drops them. */
    private static String trimG(String s) {
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        String mant = e < 0 ? s : s.substring(0, e);
        String exp = e < 0 ? "" : s.substring(e);
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) mant = mant.substring(0, mant.length() - 1);
        }
        return mant + exp;
    }

    private static Number number(Object value) {
        Number n = Values.toNumber(value, null);
        if (n == null || value instanceof CharSequence) {
            throw new IllegalArgumentException("a number is required, not " + Values.typeName(value));
        }
        return n;
    }

    private static Long integer(Object value) {
        Number n = number(value);
        if (Values.isIntegral(n)) return n.longValue();
        return new BigDecimal(n.toString()).longValue();
    }

    /** str.format: {} / {0} / {name}, with an optional :spec in Python's mini-language subset. */
    static String braces(String fmt, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        int n = fmt.length();
        for (int k = 0; k < n; k++) {
            char ch = fmt.charAt(k);
            if (ch == '{' && k + 1 < n && fmt.charAt(k + 1) == '{') {
                sb.append('{');
                k++;
                continue;
            }
            if (ch == '}' && k + 1 < n && fmt.charAt(k + 1) == '}') {
                sb.append('}');
                k++;
                continue;
            }
            if (ch != '{') {
                sb.append(ch);
                continue;
            }
            int close = fmt.indexOf('}', k);
            if (close < 0) throw new IllegalArgumentException("single '{' encountered in format string");
            String field = fmt.substring(k + 1, close);
            String spec = "";
            int colon = field.indexOf(':');
            if (colon >= 0) {
                spec = field.substring(colon + 1);
                field = field.substring(0, colon);
            }
            Object value;
            if (field.isEmpty()) {
                if (auto >= args.size()) throw new IllegalArgumentException("not enough arguments for format string");
                value = args.get(auto++);
            } else if (field.chars().allMatch(Character::isDigit)) {
                int idx = Integer.parseInt(field);
                if (idx >= args.size()) throw new IllegalArgumentException("format index " + idx + " out of range");
                value = args.get(idx);
            } else {
                if (!kwargs.containsKey(field)) throw new IllegalArgumentException("format key '" + field + "' is missing");
                value = kwargs.get(field);
            }
            sb.append(spec.isEmpty() ? Values.str(value) : formatSpec(value, spec));
            k = close;
        }
        return sb.toString();
    }

    /** The format-spec mini-language mapped onto % conversions: [[fill]align][sign][0][width][.precision][type]. */
    private static String formatSpec(Object value, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?:(.)?([<>^]))?([+\\- ])?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([sdfFeEgGxXo%])?").matcher(spec);
        if (!m.matches()) throw new IllegalArgumentException("invalid format spec '" + spec + "'");
        String type = m.group(8);
        char conv = type == null ? (value instanceof Number num && !Values.isIntegral(num) ? 'g' : value instanceof Number ? 'd' : 's') : type.charAt(0);
        String body;
        if (conv == '%') {
            body = convert(number(value).doubleValue() * 100, "", "", m.group(7), 'f') + "%";
        } else {
            body = convert(value, (m.group(3) == null ? "" : m.group(3)), "", m.group(7), conv);
        }
        if (m.group(6) != null && conv != 's') body = group(body);
        int w = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        if (body.length() >= w) return body;
        String fill = m.group(1) == null ? (m.group(4) != null ? "0" : " ") : m.group(1);
        char align = m.group(2) == null ? (value instanceof Number ? '>' : '<') : m.group(2).charAt(0);
        int padLen = w - body.length();
        if (m.group(4) != null && m.group(2) == null && value instanceof Number) {
            int signLen = body.startsWith("-") || body.startsWith("+") ? 1 : 0;
            return body.substring(0, signLen) + "0".repeat(padLen) + body.substring(signLen);
        }
        return switch (align) {
            case '<' -> body + fill.repeat(padLen);
            case '^' -> fill.repeat(padLen / 2) + body + fill.repeat(padLen - padLen / 2);
            default -> fill.repeat(padLen) + body;
        };
    }

    private static String group(String num) {
        int dot = num.indexOf('.');
        String intPart = dot < 0 ? num : num.substring(0, dot);
        String rest = dot < 0 ? "" : num.substring(dot);
        String sign = intPart.startsWith("-") ? "-" : "";
        String digits = sign.isEmpty() ? intPart : intPart.substring(1);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < digits.length(); k++) {
            if (k > 0 && (digits.length() - k) % 3 == 0) sb.append(',');
            sb.append(digits.charAt(k));
        }
        return sign + sb + rest;
    }
}
