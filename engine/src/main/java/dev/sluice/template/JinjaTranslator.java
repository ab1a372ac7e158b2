package dev.sluice.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the Jinja dialect dbt projects use into Pebble syntax. Only the inside of {{ }} and
 * {% %} is touched, never SQL text, comments or raw blocks, and no line break is added or removed,
 * so Pebble's line numbers are the user's line numbers.
 *
 * <p>Main rewrites: every bare call {@code f(a, k=v)} becomes {@code __call('f', a, __kw('k', v))}
 * so that functions known only at render time (ref, var, macros) are resolved then; Jinja
 * literals, membership tests, ternaries, loop variables and tags (elif, do, block set, raw,
 * multi-target for) are mapped to their Pebble equivalents.
 */
final class JinjaTranslator {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "elif",
            "elseif", "for", "contains", "true", "false", "null", "none", "True", "False", "None",
            "recursive");

    /** Words Pebble reads as operators wherever they stand, even after a dot. */
    private static final Set<String> PEBBLE_OPERATORS = Set.of("equals", "contains", "and", "or", "not", "is", "in");

    enum T { WS, STR, NUM, ID, OP, OPEN, CLOSE, COMMA, COLON, DOT, PIPE, ASSIGN }

    record Tok(T type, String text, String value) {
        boolean is(String s) {
            return text.equals(s);
        }

        boolean isId(String s) {
            return type == T.ID && text.equals(s);
        }
    }

    private List<Tok> toks;
    private int loopVarCounter;

    private JinjaTranslator() {
    }

    /** Translates a whole template. */
    static String translate(String source) {
        JinjaTranslator tr = new JinjaTranslator();
        StringBuilder out = new StringBuilder(source.length() + 64);
        for (TemplateScanner.Segment seg : TemplateScanner.scan(source)) {
            switch (seg.kind) {
                case TEXT, COMMENT -> out.append(source, seg.start, seg.end);
                case RAW -> out.append("{%").append(seg.trimLeft ? "-" : "").append(" verbatim ")
                        .append(seg.rawOpenTrimRight ? "-" : "").append("%}")
                        .append(source, seg.innerStart, seg.innerEnd)
                        .append("{%").append(seg.rawCloseTrimLeft ? "-" : "").append(" endverbatim ")
                        .append(seg.trimRight ? "-" : "").append("%}");
                case PRINT -> out.append("{{").append(seg.trimLeft ? "-" : "")
                        .append(tr.printed(seg.inner(source)))
                        .append(seg.trimRight ? "-" : "").append("}}");
                case TAG -> out.append(tr.tag(seg.inner(source), seg.trimLeft, seg.trimRight));
            }
        }
        return out.toString();
    }

    /** A print's expression, wrapped so values print as Jinja prints them (True, ['a']). */
    private String printed(String inner) {
        toks = tokenize(inner);
        if (nextSig(0, toks.size()) < 0) return inner;
        return "__p(" + expr(0, toks.size()) + ")";
    }

    /** Translates one expression (exposed for macro default values). */
    String expression(String inner) {
        toks = tokenize(inner);
        return expr(0, toks.size());
    }

    private String tag(String inner, boolean trimLeft, boolean trimRight) {
        toks = tokenize(inner);
        String open = trimLeft ? "{%-" : "{%";
        String close = trimRight ? "-%}" : "%}";
        int first = nextSig(0, toks.size());
        if (first < 0 || toks.get(first).type != T.ID) return open + rawText(0, toks.size()) + close;
        String name = toks.get(first).text;
        String lead = rawText(0, first);
        int rest = first + 1;
        int end = toks.size();
        switch (name) {
            case "if":
            case "elif":
                // Pebble's if wants a Boolean; Jinja tests truthiness of any value.
                String tagName = name.equals("if") ? "if" : "elseif";
                if (nextSig(rest, end) < 0) return open + lead + tagName + rawText(rest, end) + close; // Pebble reports it
                return open + lead + tagName + " __b(" + expr(rest, end) + ")" + close;
            case "endset":
                return open + lead + "endsetblock" + rawText(rest, end) + close;
            case "do":
                return open + lead + "set __do =" + expr(rest, end) + close;
            case "set": {
                int eq = findTop(rest, end, t -> t.type == T.ASSIGN);
                if (eq < 0) return open + lead + "setblock" + rawText(rest, end) + close;
                List<Integer> commas = topCommas(rest, eq);
                if (commas.isEmpty()) return open + lead + "set" + rawText(rest, eq) + "=" + expr(eq + 1, end) + close;
                // {% set a, b = pair %}: bind a temporary, then unpack it by position.
                String tmp = "__unpack" + (loopVarCounter++);
                StringBuilder sb = new StringBuilder(open + lead + "set " + tmp + " =" + expr(eq + 1, end) + " %}");
                appendUnpack(sb, tmp, targets(rest, eq));
                return trimLast(sb, close);
            }
            case "for": {
                int in = findTop(rest, end, t -> t.isId("in"));
                if (in < 0) return open + lead + "for" + expr(rest, end) + close;
                List<String> targets = targets(rest, in);
                if (targets.size() <= 1) {
                    return open + lead + "for" + rawText(rest, in) + "in" + expr(in + 1, end) + close;
                }
                // Pebble binds one loop variable: iterate a temporary and unpack it first thing.
                String tmp = "__item" + (loopVarCounter++);
                StringBuilder sb = new StringBuilder(open + lead + "for " + tmp + " in" + expr(in + 1, end) + " %}");
                appendUnpack(sb, tmp, targets);
                return trimLast(sb, close);
            }
            default:
                return open + lead + name + expr(rest, end) + close;
        }
    }

    private static void appendUnpack(StringBuilder sb, String tmp, List<String> targets) {
        for (int k = 0; k < targets.size(); k++) {
            sb.append("{% set ").append(targets.get(k)).append(" = __item(").append(tmp).append(", ").append(k)
                    .append(") %}");
        }
    }

    /** The close delimiter's trim marker belongs to the last generated tag. */
    private static String trimLast(StringBuilder sb, String close) {
        sb.setLength(sb.length() - 2);
        return sb.append(close).toString();
    }

    private List<String> targets(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int k = from; k < to; k++) {
            if (toks.get(k).type == T.ID) names.add(toks.get(k).text);
        }
        return names;
    }

    // ---- expressions -------------------------------------------------------------------------

    /** An expression range: handles Jinja's `a if cond else b`, then the token-level rewrites. */
    private String expr(int from, int to) {
        int ifAt = findTop(from, to, t -> t.isId("if"));
        if (ifAt > from && nextSig(from, ifAt) >= 0) {
            int elseAt = findTop(ifAt + 1, to, t -> t.isId("else"));
            String value = seq(from, ifAt);
            String cond = expr(ifAt + 1, elseAt < 0 ? to : elseAt);
            String other = elseAt < 0 ? " null" : expr(elseAt + 1, to);
            return "(__b(" + cond + ") ? (" + value + ") : (" + other + "))";
        }
        return seq(from, to);
    }

    private String seq(int from, int to) {
        StringBuilder sb = new StringBuilder();
        int k = from;
        while (k < to) {
            Tok t = toks.get(k);
            switch (t.type) {
                case STR -> sb.append(literal(t));
                case ID -> k = identifier(k, to, sb) - 1;
                case OPEN -> {
                    int close = matching(k, to);
                    if (t.is("{")) {
                        sb.append("__dict(").append(dictContents(k + 1, close)).append(")");
                        k = close;
                        break;
                    }
                    boolean call = t.is("(") && isCallParen(k);
                    int prev = prevSig(k);
                    if (call && toks.get(prev).type == T.CLOSE) {
                        // f(a)(b), m[0](x): Pebble cannot call an expression's value; a method of it can.
                        sb.append(".__call__(").append(String.join(",", arguments(k + 1, close, true)));
                        if (close < to) sb.append(")");
                        k = close;
                        break;
                    }
                    // Method calls get keyword markers too, so obj.m(k=v) reaches the method with its names.
                    boolean method = call && prev > 0 && toks.get(prevSig(prev)).type == T.DOT;
                    // A parenthesised tuple is a list in Pebble's terms; dbt writes `in ('a', 'b')`.
                    boolean tuple = t.is("(") && !call && !topCommas(k + 1, close).isEmpty();
                    sb.append(tuple ? "[" : t.text);
                    sb.append(method ? String.join(",", arguments(k + 1, close, true))
                            : bracketContents(k + 1, close, t.text, call));
                    if (close < to) sb.append(tuple ? "]" : toks.get(close).text);
                    k = close;
                }
                default -> sb.append(t.text);
            }
            k++;
        }
        return sb.toString();
    }

    /** Emits the identifier at k (and whatever it consumes); returns the next index. */
    private int identifier(int k, int to, StringBuilder sb) {
        Tok t = toks.get(k);
        int prev = prevSig(k);
        boolean afterDot = prev >= 0 && toks.get(prev).type == T.DOT;
        if (afterDot) {
            if (PEBBLE_OPERATORS.contains(t.text)) {
                // obj.equals(...): a Pebble operator word cannot follow a dot; reach it by subscript instead.
                int dot = sb.lastIndexOf(".");
                sb.setLength(dot);
                sb.append("['").append(t.text).append("']");
                int nx = nextSig(k + 1, to);
                if (nx >= 0 && toks.get(nx).is("(")) {
                    int close = matching(nx, to);
                    sb.append(".__call__(").append(String.join(",", arguments(nx + 1, close, true))).append(")");
                    return close + 1;
                }
                return k + 1;
            }
            sb.append(t.text);
            return k + 1;
        }
        String name = t.text;
        // Jinja's loop.index is 1-based; Pebble's is 0-based.
        if (name.equals("loop") && k + 2 < to && toks.get(k + 1).type == T.DOT && toks.get(k + 2).type == T.ID) {
            String attr = toks.get(k + 2).text;
            String repl = switch (attr) {
                case "index" -> "(loop.index + 1)";
                case "index0" -> "loop.index";
                case "revindex" -> "(loop.revindex + 1)";
                case "revindex0" -> "loop.revindex";
                default -> null;
            };
            if (repl != null) {
                sb.append(repl);
                return k + 3;
            }
        }
        switch (name) {
            case "True", "true" -> { sb.append("true"); return k + 1; }
            case "False", "false" -> { sb.append("false"); return k + 1; }
            case "None", "none" -> { sb.append("null"); return k + 1; }
            case "in" -> { sb.append("__in"); return k + 1; }
            case "not" -> {
                int nx = nextSig(k + 1, to);
                if (nx >= 0 && toks.get(nx).isId("in")) {
                    sb.append("__notin");
                    return nx + 1;
                }
                sb.append("not");
                return k + 1;
            }
            default -> { }
        }
        int nx = nextSig(k + 1, to);
        if (nx >= 0 && toks.get(nx).is("(") && !KEYWORDS.contains(name) && isBareCallee(k)) {
            int close = matching(nx, to);
            sb.append("__call('").append(name).append("'");
            sb.append(rawText(k + 1, nx)); // whitespace between name and '('
            List<String> args = arguments(nx + 1, close, true);
            for (String a : args) sb.append(", ").append(a);
            if (args.isEmpty()) sb.append(rawText(nx + 1, close));
            sb.append(")");
            return close + 1;
        }
        sb.append(name);
        return k + 1;
    }

    /** True when the identifier at k is called as a free function, not a filter, test or method. */
    private boolean isBareCallee(int k) {
        int prev = prevSig(k);
        if (prev < 0) return true;
        Tok p = toks.get(prev);
        if (p.type == T.DOT || p.type == T.PIPE || p.isId("is")) return false;
        if (p.isId("not")) {
            int pp = prevSig(prev);
            return pp < 0 || !toks.get(pp).isId("is");
        }
        return true;
    }

    /** Whether the '(' at k opens an argument list (filter, test or method) rather than a group. */
    private boolean isCallParen(int k) {
        int prev = prevSig(k);
        if (prev < 0) return false;
        Tok p = toks.get(prev);
        return (p.type == T.ID && !KEYWORDS.contains(p.text)) || p.type == T.CLOSE;
    }

    private String bracketContents(int from, int to, String open, boolean call) {
        if (!call && topCommas(from, to).isEmpty()) return expr(from, to);
        return String.join(",", arguments(from, to, false));
    }

    /** Dict literal entries as alternating keys and values for __dict, which keeps their order. */
    private String dictContents(int from, int to) {
        List<String> parts = new ArrayList<>();
        List<Integer> commas = topCommas(from, to);
        int start = from;
        for (int c = 0; c <= commas.size(); c++) {
            int end = c < commas.size() ? commas.get(c) : to;
            int colon = findTop(start, end, t -> t.type == T.COLON);
            if (colon >= 0) parts.add(expr(start, colon) + "," + expr(colon + 1, end));
            else if (nextSig(start, end) >= 0) parts.add(expr(start, end)); // malformed: let Pebble complain
            else if (!parts.isEmpty()) parts.set(parts.size() - 1, parts.get(parts.size() - 1) + rawText(start, end));
            else return rawText(start, end); // {} or a lone trailing comma: keep only the line breaks
            start = end + 1;
        }
        return String.join(",", parts);
    }

    /**
     * The comma separated pieces of an argument list, each translated. With kwMarkers, a named
     * argument k=v becomes __kw('k', v) so it survives as a positional argument of __call.
     */
    private List<String> arguments(int from, int to, boolean kwMarkers) {
        List<String> out = new ArrayList<>();
        if (nextSig(from, to) < 0) return out;
        List<Integer> commas = topCommas(from, to);
        int start = from;
        for (int c = 0; c <= commas.size(); c++) {
            int end = c < commas.size() ? commas.get(c) : to;
            int a = nextSig(start, end);
            int b = a < 0 ? -1 : nextSig(a + 1, end);
            if (a >= 0 && toks.get(a).type == T.ID && b >= 0 && toks.get(b).type == T.ASSIGN) {
                String value = expr(b + 1, end);
                if (kwMarkers) out.add(rawText(start, a) + "__kw('" + toks.get(a).text + "'," + value + ")");
                else out.add(rawText(start, a) + toks.get(a).text + "=" + value);
            } else if (a >= 0) {
                out.add(expr(start, end));
            } else {
                out.add(rawText(start, end)); // trailing comma: keep its whitespace
            }
            start = end + 1;
        }
        if (out.size() > 1 && nextSig(commas.isEmpty() ? from : commas.get(commas.size() - 1) + 1, to) < 0) {
            out.remove(out.size() - 1); // Jinja allows a trailing comma; Pebble does not
        }
        return out;
    }

    /** A string token re-emitted, keeping any line breaks its source text spanned. */
    private static String literal(Tok t) {
        String lit = literal(t.value);
        long breaks = t.text.chars().filter(ch -> ch == '\n').count();
        return breaks == 0 ? lit : lit + "\n".repeat((int) breaks);
    }

    /**
     * A string literal in a form Pebble reads back to the same value, without interpolation.
     * Pebble 3.2 only unescapes \' in literals, so a value with backslashes or control characters
     * travels encoded through __str instead (a literal line break would also shift line numbers).
     */
    private static String literal(String value) {
        boolean plain = true;
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            if (ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t') plain = false;
        }
        if (plain) return "'" + value.replace("'", "\\'") + "'";
        StringBuilder enc = new StringBuilder("__str('");
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            switch (ch) {
                case '\\' -> enc.append("\\\\");
                case '\n' -> enc.append("\\n");
                case '\r' -> enc.append("\\r");
                case '\t' -> enc.append("\\t");
                case '\'' -> enc.append("\\q");
                default -> enc.append(ch);
            }
        }
        return enc.append("')").toString();
    }

    /** Inverse of the encoding literal() gives to __str payloads. */
    static String decodeLiteral(String enc) {
        StringBuilder sb = new StringBuilder(enc.length());
        for (int k = 0; k < enc.length(); k++) {
            char ch = enc.charAt(k);
            if (ch != '\\' || k + 1 >= enc.length()) {
                sb.append(ch);
                continue;
            }
            char e = enc.charAt(++k);
            sb.append(switch (e) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'q' -> '\'';
                default -> e;
            });
        }
        return sb.toString();
    }

    // ---- token helpers -----------------------------------------------------------------------

    private interface TokTest {
        boolean test(Tok t);
    }

    private int findTop(int from, int to, TokTest test) {
        int depth = 0;
        for (int k = from; k < to; k++) {
            Tok t = toks.get(k);
            if (t.type == T.OPEN) depth++;
            else if (t.type == T.CLOSE) depth--;
            else if (depth == 0 && test.test(t)) return k;
        }
        return -1;
    }

    private List<Integer> topCommas(int from, int to) {
        List<Integer> out = new ArrayList<>();
        int depth = 0;
        for (int k = from; k < to; k++) {
            Tok t = toks.get(k);
            if (t.type == T.OPEN) depth++;
            else if (t.type == T.CLOSE) depth--;
            else if (depth == 0 && t.type == T.COMMA) out.add(k);
        }
        return out;
    }

    private int matching(int open, int to) {
        int depth = 0;
        for (int k = open; k < to; k++) {
            Tok t = toks.get(k);
            if (t.type == T.OPEN) depth++;
            else if (t.type == T.CLOSE && --depth == 0) return k;
        }
        return to; // unbalanced: Pebble will report it
    }

    private int nextSig(int from, int to) {
        for (int k = from; k < to; k++) {
            if (toks.get(k).type != T.WS) return k;
        }
        return -1;
    }

    private int prevSig(int k) {
        for (int j = k - 1; j >= 0; j--) {
            if (toks.get(j).type != T.WS) return j;
        }
        return -1;
    }

    private String rawText(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Tok t = toks.get(k);
            sb.append(t.type == T.STR ? literal(t) : t.text);
        }
        return sb.toString();
    }

    static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int j = i + 1;
            if (Character.isWhitespace(c)) {
                while (j < n && Character.isWhitespace(s.charAt(j))) j++;
                out.add(new Tok(T.WS, s.substring(i, j), null));
            } else if (c == '\'' || c == '"') {
                j = TemplateScanner.skipString(s, i);
                String body = s.substring(i + 1, Math.max(i + 1, j - 1));
                out.add(new Tok(T.STR, s.substring(i, j), unescape(body)));
            } else if (Character.isDigit(c)) {
                while (j < n && Character.isDigit(s.charAt(j))) j++;
                if (j + 1 < n && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < n && Character.isDigit(s.charAt(j))) j++;
                }
                out.add(new Tok(T.NUM, s.substring(i, j), null));
            } else if (Character.isLetter(c) || c == '_') {
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                out.add(new Tok(T.ID, s.substring(i, j), null));
            } else if ("([{".indexOf(c) >= 0) {
                out.add(new Tok(T.OPEN, String.valueOf(c), null));
            } else if (")]}".indexOf(c) >= 0) {
                out.add(new Tok(T.CLOSE, String.valueOf(c), null));
            } else if (c == ',') {
                out.add(new Tok(T.COMMA, ",", null));
            } else if (c == ':') {
                out.add(new Tok(T.COLON, ":", null));
            } else if (c == '.') {
                out.add(new Tok(T.DOT, ".", null));
            } else if (c == '|') {
                out.add(new Tok(T.PIPE, "|", null));
            } else {
                String two = j < n ? s.substring(i, j + 1) : "";
                if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")
                        || two.equals("//") || two.equals("**")) {
                    out.add(new Tok(T.OP, two, null));
                    j++;
                } else if (c == '=') {
                    out.add(new Tok(T.ASSIGN, "=", null));
                } else {
                    out.add(new Tok(T.OP, String.valueOf(c), null));
                }
            }
            i = j;
        }
        return out;
    }

    /** Python string escapes to the characters they stand for. */
    static String unescape(String body) {
        if (body.indexOf('\\') < 0) return body;
        StringBuilder sb = new StringBuilder(body.length());
        for (int k = 0; k < body.length(); k++) {
            char ch = body.charAt(k);
            if (ch != '\\' || k + 1 >= body.length()) {
                sb.append(ch);
                continue;
            }
            char e = body.charAt(++k);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                default -> sb.append('\\').append(e);
            }
        }
        return sb.toString();
    }
}
