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

    /** Jinja's own keywords: never a callee or a variable. */
    /** The end of `x is` or `x is not` just before an `in`: Jinja's in test. */
    private static final java.util.regex.Pattern IS_TEST_IN = java.util.regex.Pattern.compile("\\s+is(\\s+not)?\\s*$");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "elif",
            "for", "true", "false", "none", "True", "False", "None", "recursive");

    /** Words Pebble reserves that are plain names in Jinja; as variables they travel renamed. */
    private static final Set<String> PEBBLE_WORDS = Set.of("equals", "contains", "null", "elseif");

    /** Tags this dialect has, besides those handled before translation (macro, test, raw). */
    private static final Set<String> TAGS = Set.of("if", "elif", "else", "endif", "for", "endfor", "set", "endset",
            "do", "call", "endcall", "filter", "endfilter", "break", "continue", "with", "endwith");

    /** Jinja tags dbt projects do not use and this engine does not offer; each gets its own clear error. */
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("include", "import", "from", "extends", "block",
            "endblock", "autoescape", "endautoescape", "trans", "endtrans", "pluralize",
            "materialization", "endmaterialization", "snapshot", "endsnapshot", "docs", "enddocs", "macro",
            "endmacro", "test", "endtest", "verbatim", "endverbatim", "parallel", "endparallel", "cache", "endcache",
            "embed", "endembed", "flush", "elseif", "setblock", "endsetblock");

    /** Something this dialect cannot translate; offset is where it starts in the template. */
    static final class Unsupported extends RuntimeException {
        final int offset;

        Unsupported(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    /** The name a Jinja variable has inside Pebble. */
    static String pebbleName(String name) {
        return PEBBLE_WORDS.contains(name) ? "__jv_" + name : name;
    }

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
    /** Open block sets, innermost last: what each one's endset adds after the body ("" for a plain name). */
    private final java.util.ArrayDeque<String> blockSets = new java.util.ArrayDeque<>();
    /** Names this template assigns with {% set %} somewhere; see {@link #printed}. */
    private Set<String> assigned = Set.of();
    /** Offset in the template of the tag or print being translated, for error positions. */
    private int segmentStart;

    private JinjaTranslator() {
    }

    /** Translates a whole template. */
    static String translate(String source) {
        JinjaTranslator tr = new JinjaTranslator();
        tr.assigned = assignedNames(source);
        StringBuilder out = new StringBuilder(source.length() + 64);
        for (TemplateScanner.Segment seg : TemplateScanner.scan(source)) {
            tr.segmentStart = seg.innerStart;
            switch (seg.kind) {
                case TEXT, COMMENT -> out.append(source, seg.start, seg.end);
                // Pebble only sees a trim marker when whitespace follows it: {{- x }}, never {{-x }}.
                case RAW -> out.append("{%").append(seg.trimLeft ? "-" : "").append(" verbatim ")
                        .append(seg.rawOpenTrimRight ? "-" : "").append("%}")
                        .append(source, seg.innerStart, seg.innerEnd)
                        .append("{%").append(seg.rawCloseTrimLeft ? "-" : "").append(" endverbatim ")
                        .append(seg.trimRight ? "-" : "").append("%}");
                case PRINT -> out.append("{{").append(seg.trimLeft ? "- " : "")
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
        int first = nextSig(0, toks.size());
        if (first < 0) return inner;
        String ex = expr(0, toks.size());
        if (toks.get(first).type == T.ID && assigned.contains(toks.get(first).text) && nextSig(first + 1, toks.size()) < 0) {
            // A name the template sets only on some paths ({% if %}{% set x = ... %}{% endif %}{{ x }}) prints
            // empty on the others, as Jinja does and packages such as dbt_utils rely on; a name the template
            // never sets stays an error, so typos and missing context objects are still caught.
            return "__p((" + ex + " is defined) ? " + ex + " : '')";
        }
        return "__p(" + ex + ")";
    }

    /** Plain names assigned by {% set name = ... %} or {% set name %} blocks anywhere in the source. */
    private static Set<String> assignedNames(String source) {
        Set<String> names = new java.util.HashSet<>();
        for (TemplateScanner.Segment seg : TemplateScanner.scan(source)) {
            if (seg.kind != TemplateScanner.Kind.TAG) continue;
            List<Tok> ts = tokenize(seg.inner(source));
            int i = 0;
            while (i < ts.size() && ts.get(i).type == T.WS) i++;
            if (i >= ts.size() || !ts.get(i).isId("set")) continue;
            for (i++; i < ts.size(); i++) {
                Tok t = ts.get(i);
                if (t.type == T.WS || t.type == T.COMMA) continue;
                if (t.type != T.ID) break;
                if (i + 1 < ts.size() && ts.get(i + 1).type == T.DOT) break; // ns.x: an attribute, not a name
                names.add(t.text);
            }
        }
        return names;
    }

    /** Translates one expression (exposed for macro default values). */
    String expression(String inner) {
        toks = tokenize(inner);
        return expr(0, toks.size());
    }

    private String tag(String inner, boolean trimLeft, boolean trimRight) {
        toks = tokenize(inner);
        String open = trimLeft ? "{%- " : "{%";
        String close = trimRight ? "-%}" : "%}";
        int first = nextSig(0, toks.size());
        if (first < 0 || toks.get(first).type != T.ID) return open + rawText(0, toks.size()) + close;
        String name = toks.get(first).text;
        String lead = rawText(0, first);
        int rest = first + 1;
        int end = toks.size();
        if (!TAGS.contains(name)) {
            if (UNSUPPORTED_TAGS.contains(name)) {
                throw fail(first, name.startsWith("end") || name.equals("macro") || name.equals("test")
                        ? "{% " + name + " %} is not allowed here (blocks of this kind cannot be nested in other tags)"
                        : "{% " + name + " %} is not supported");
            }
            throw fail(first, "unknown tag {% " + name + " %}");
        }
        switch (name) {
            case "if":
            case "elif":
                // Pebble's if wants a Boolean; Jinja tests truthiness of any value.
                String tagName = name.equals("if") ? "if" : "elseif";
                if (nextSig(rest, end) < 0) throw fail(first, "{% " + name + " %} needs a condition");
                return open + lead + tagName + " __b(" + expr(rest, end) + ")" + close;
            case "endset": {
                String finish = blockSets.isEmpty() ? null : blockSets.pop();
                if (finish == null || finish.isEmpty()) return open + lead + "endsetblock" + rawText(rest, end) + close;
                // {% set ns.x %} / {% set x | trim %}: the body went to a temporary; now assign it where it belongs.
                return open + lead + "endsetblock %}" + finish + close;
            }
            case "do":
                return open + lead + "do" + expr(rest, end) + close;
            case "filter": {
                // The body's filters: translated as if applied to a value, then the value is dropped again.
                List<Tok> saved = toks;
                toks = new ArrayList<>(tokenize("__fx|"));
                toks.addAll(saved.subList(rest, end));
                String chain = expr(0, toks.size());
                toks = saved;
                return open + lead + "filter " + chain.substring("__fx|".length()) + close;
            }
            case "call":
                return open + lead + callTag(first, rest, end) + close;
            case "with": {
                // {% with a = 1, b = x %}: names bound for the block only.
                List<String> parts = new ArrayList<>();
                for (String a : arguments(rest, end, false)) {
                    int eq = a.indexOf('=');
                    if (eq < 0) throw fail(first, "{% with %} takes name = value pairs");
                    parts.add(pebbleName(a.substring(0, eq).strip()) + " =" + a.substring(eq + 1));
                }
                return open + lead + "with " + String.join(", ", parts) + " " + close;
            }
            case "set": {
                int eq = findTop(rest, end, t -> t.type == T.ASSIGN);
                if (eq < 0) return open + lead + blockSet(first, rest, end) + close;
                int dot = findTop(rest, eq, t -> t.type == T.DOT);
                if (dot >= 0) {
                    // {% set ns.attr = value %}: namespace attribute assignment.
                    List<String> parts = targets(rest, eq);
                    if (parts.size() != 2) throw fail(first, "{% set %} can assign one attribute of a namespace: ns.attr");
                    return open + lead + "do __setattr(" + pebbleName(parts.get(0)) + ", '" + parts.get(1) + "', "
                            + expr(eq + 1, end) + ")" + close;
                }
                List<String> names = targets(rest, eq);
                if (names.isEmpty()) throw fail(first, "{% set %} needs a name");
                // {% set a, b = 1, 2 %}: a tuple without parentheses on the right.
                String value = topCommas(eq + 1, end).isEmpty() ? expr(eq + 1, end)
                        : " [" + String.join(",", arguments(eq + 1, end, false)) + "]";
                if (names.size() == 1) return open + lead + "set " + pebbleName(names.get(0)) + " =" + value + close;
                // {% set a, b = pair %}: bind a temporary, then unpack it by position.
                String tmp = "__unpack" + (loopVarCounter++);
                StringBuilder sb = new StringBuilder(open + lead + "set " + tmp + " =" + value + " %}");
                appendUnpack(sb, tmp, names);
                return trimLast(sb, close);
            }
            case "for": {
                int in = findTop(rest, end, t -> t.isId("in"));
                if (in < 0) throw fail(first, "{% for %} needs 'in': {% for x in items %}");
                int recursive = findTop(in, end, t -> t.isId("recursive"));
                if (recursive >= 0) throw fail(recursive, "recursive loops are not supported");
                List<String> names = targets(rest, in);
                if (names.isEmpty()) throw fail(first, "{% for %} needs a loop variable");
                List<String> renamed = new ArrayList<>();
                for (String n : names) renamed.add(pebbleName(n));
                int ifAt = findTop(in + 1, end, t -> t.isId("if"));
                String items = expr(in + 1, ifAt < 0 ? end : ifAt);
                String filter = ifAt < 0 ? "" : " if __b(" + expr(ifAt + 1, end) + ")";
                return open + lead + "for " + String.join(", ", renamed) + " in" + items + filter + close;
            }
            default:
                if (nextSig(rest, end) >= 0) throw fail(rest, "{% " + name + " %} takes nothing after its name");
                return open + lead + name + rawText(rest, end) + close;
        }
    }

    /**
     * The opening of a block set. A plain name is Pebble's setblock; a namespace attribute ({% set ns.x %}) or
     * a filtered block ({% set x | trim %}) captures into a temporary, and its endset assigns the result.
     */
    private String blockSet(int first, int rest, int end) {
        int pipe = findTop(rest, end, t -> t.type == T.PIPE);
        int targetEnd = pipe < 0 ? end : pipe;
        List<String> names = targets(rest, targetEnd);
        int dot = findTop(rest, targetEnd, t -> t.type == T.DOT);
        boolean plain = findTop(rest, targetEnd, t -> t.type != T.WS && t.type != T.ID && t.type != T.DOT) < 0;
        if (!plain || names.isEmpty() || (dot < 0 && names.size() != 1) || (dot >= 0 && names.size() != 2)) {
            throw fail(first, "{% set %} block form takes one name or one namespace attribute (ns.attr), "
                    + "optionally with filters: {% set x | trim %}");
        }
        if (pipe < 0 && dot < 0) {
            blockSets.push("");
            return "setblock " + pebbleName(names.get(0)) + " ";
        }
        String tmp = "__blockset" + (loopVarCounter++);
        String value = tmp;
        if (pipe >= 0) {
            List<Tok> saved = toks;
            toks = new ArrayList<>(tokenize(tmp));
            toks.addAll(saved.subList(pipe, end));
            value = expr(0, toks.size());
            toks = saved;
        }
        blockSets.push(dot < 0 ? "{% set " + pebbleName(names.get(0)) + " = " + value + " "
                : "{% do __setattr(" + pebbleName(names.get(0)) + ", '" + names.get(1) + "', " + value + ") ");
        return "setblock " + tmp + " ";
    }

    /** {% call(params) name(args) %}: the body becomes the callee's caller(). */
    private String callTag(int first, int rest, int end) {
        int k = nextSig(rest, end);
        List<String> params = new ArrayList<>();
        if (k >= 0 && toks.get(k).is("(")) {
            int close = matching(k, end);
            for (String p : targets(k + 1, close)) params.add("'" + pebbleName(p) + "'");
            k = nextSig(close + 1, end);
        }
        if (k < 0 || toks.get(k).type != T.ID) throw fail(first, "{% call %} needs a macro call: {% call name(args) %}");
        int paren = nextSig(k + 1, end);
        if (paren < 0 || !toks.get(paren).is("(")) {
            throw fail(k, "{% call %} must call a macro by its name: {% call " + toks.get(k).text + "(...) %}");
        }
        int close = matching(paren, end);
        if (nextSig(close + 1, end) >= 0) throw fail(close + 1, "unexpected text after the call in {% call %}");
        StringBuilder sb = new StringBuilder("call __params(" + String.join(", ", params) + ") __callblock('")
                .append(toks.get(k).text).append("'");
        for (String a : arguments(paren + 1, close, true)) sb.append(", ").append(a);
        return sb.append(") ").toString();
    }

    /** An error at token k of the tag or print being translated. */
    private Unsupported fail(int k, String message) {
        int offset = segmentStart;
        for (int j = 0; j < k && j < toks.size(); j++) offset += toks.get(j).text.length();
        return new Unsupported(message, offset);
    }

    private static void appendUnpack(StringBuilder sb, String tmp, List<String> targets) {
        for (int k = 0; k < targets.size(); k++) {
            sb.append("{% set ").append(pebbleName(targets.get(k))).append(" = __item(").append(tmp).append(", ").append(k)
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
            // Without else Jinja gives Undefined, which prints empty (never 'None').
            String other = elseAt < 0 ? " ''" : expr(elseAt + 1, to);
            return "(__b(" + cond + ") ? (" + value + ") : (" + other + "))";
        }
        return seq(from, to);
    }

    private String seq(int from, int to) {
        StringBuilder sb = new StringBuilder();
        // Where each token's output starts, so a call on a computed value can wrap what came before it.
        int[] outAt = new int[Math.max(0, to - from) + 1];
        int k = from;
        while (k < to) {
            Tok t = toks.get(k);
            outAt[k - from] = sb.length();
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
                    int prev = prevSig(k);
                    if (t.is("[") && isOperand(prev, from)) {
                        boolean slice = findTop(k + 1, close, x -> x.type == T.COLON) >= 0;
                        int start = chainStart(prev, from);
                        Tok first = toks.get(start);
                        // Pebble subscripts names only; slices and subscripts of literals go through functions.
                        if (slice || first.type == T.STR || first.type == T.OPEN) {
                            String operand = sb.substring(outAt[start - from]);
                            sb.setLength(outAt[start - from]);
                            sb.append(slice ? "__slice(" : "__getitem(").append(operand).append(", ")
                                    .append(slice ? sliceArgs(k + 1, close) : expr(k + 1, close)).append(")");
                            k = close;
                            break;
                        }
                    }
                    if (t.is("(") && prev >= from && toks.get(prev).type == T.CLOSE) {
                        // f(x)(y), adapter.dispatch('m')(args): calling what an expression gives.
                        int start = chainStart(prev, from);
                        String callee = sb.substring(outAt[start - from]);
                        sb.setLength(outAt[start - from]);
                        sb.append("__invoke(").append(callee);
                        for (String a : arguments(k + 1, close, true)) sb.append(", ").append(a);
                        sb.append(")");
                        k = close;
                        break;
                    }
                    boolean call = t.is("(") && isCallParen(k);
                    // Methods and filters get named arguments as markers: Pebble would drop or reject them.
                    boolean method = call && prev > 0 && toks.get(prev).type == T.ID && prevSig(prev) >= 0
                            && (toks.get(prevSig(prev)).type == T.DOT || toks.get(prevSig(prev)).type == T.PIPE);
                    // A parenthesised tuple: a list in Pebble's terms made a Tuple, which prints as Python's
                    // does (dbt writes `in {{ ('a', 'b') }}`).
                    boolean tuple = t.is("(") && !call && !topCommas(k + 1, close).isEmpty();
                    sb.append(tuple ? "__call('__tuple', [" : t.text);
                    if (method) sb.append(methodArguments(k + 1, close));
                    else sb.append(bracketContents(k + 1, close, t.text, call));
                    if (close < to) sb.append(tuple ? "])" : toks.get(close).text);
                    k = close;
                }
                default -> sb.append(t.text);
            }
            k++;
        }
        return sb.toString();
    }

    /** Whether the token at k ends an operand, so a following '[' subscripts it. */
    private boolean isOperand(int k, int from) {
        if (k < from) return false;
        Tok t = toks.get(k);
        return t.type == T.CLOSE || t.type == T.STR || (t.type == T.ID && !KEYWORDS.contains(t.text));
    }

    /** The first token of the postfix chain (name, .attr, [i], (args)) that ends at token k. */
    private int chainStart(int k, int from) {
        int start = k;
        int j = k;
        while (j >= from) {
            Tok t = toks.get(j);
            if (t.type == T.CLOSE) {
                int open = matchingOpen(j, from);
                start = open;
                j = prevSig(open);
                if (j < from || !(toks.get(j).type == T.CLOSE || (toks.get(j).type == T.ID && !KEYWORDS.contains(toks.get(j).text)))) break;
            } else if (t.type == T.ID || t.type == T.STR) {
                start = j;
                int p = prevSig(j);
                if (p < from || toks.get(p).type != T.DOT) break;
                j = prevSig(p);
            } else {
                break;
            }
        }
        return start;
    }

    private int matchingOpen(int close, int from) {
        int depth = 0;
        for (int k = close; k >= from; k--) {
            Tok t = toks.get(k);
            if (t.type == T.CLOSE) depth++;
            else if (t.type == T.OPEN && --depth == 0) return k;
        }
        return from;
    }

    /** a[start:stop:step] as the three arguments of __slice; an omitted part is null. */
    private String sliceArgs(int from, int to) {
        List<String> parts = new ArrayList<>();
        int start = from;
        int depth = 0;
        for (int k = from; k <= to; k++) {
            Tok t = k < to ? toks.get(k) : null;
            if (t != null && t.type == T.OPEN) depth++;
            else if (t != null && t.type == T.CLOSE) depth--;
            if (t == null || (depth == 0 && t.type == T.COLON)) {
                parts.add(nextSig(start, k) < 0 ? "null" : expr(start, k));
                start = k + 1;
            }
        }
        if (parts.size() > 3) throw fail(from, "a slice has at most three parts: x[start:stop:step]");
        while (parts.size() < 3) parts.add("null");
        return String.join(", ", parts);
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
        switch (name) {
            case "True", "true" -> { sb.append("true"); return k + 1; }
            case "False", "false" -> { sb.append("false"); return k + 1; }
            case "None", "none" -> { sb.append("null"); return k + 1; }
            case "in" -> {
                // Jinja's `in` test (x is in y, x is not in y) is the operator under another name.
                java.util.regex.Matcher m = IS_TEST_IN.matcher(sb);
                if (m.find()) {
                    boolean negated = m.group(1) != null;
                    sb.setLength(m.start());
                    sb.append(negated ? " __notin" : " __in");
                    return k + 1;
                }
                sb.append("__in");
                return k + 1;
            }
            case "not" -> {
                int nx = nextSig(k + 1, to);
                if (nx >= 0 && toks.get(nx).isId("in")) {
                    java.util.regex.Matcher m = IS_TEST_IN.matcher(sb);
                    if (m.find()) {
                        // x is not in y: Jinja's in test, negated, is the not-in operator.
                        sb.setLength(m.start());
                        sb.append(' ');
                    }
                    sb.append("__notin");
                    return nx + 1;
                }
                sb.append("not");
                return k + 1;
            }
            case "for", "recursive", "elif" -> throw fail(k, "unexpected '" + name + "' in an expression"
                    + (name.equals("for") ? " (comprehensions are Python, not Jinja)" : ""));
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
        boolean testOrFilterName = prev >= 0 && (toks.get(prev).type == T.PIPE || toks.get(prev).isId("is")
                || (toks.get(prev).isId("not") && prevSig(prev) >= 0 && toks.get(prevSig(prev)).isId("is")));
        boolean testName = testOrFilterName && toks.get(prev).type != T.PIPE;
        if (testName && nx >= 0 && (toks.get(nx).type == T.NUM || toks.get(nx).type == T.STR
                || (toks.get(nx).type == T.ID && (!KEYWORDS.contains(toks.get(nx).text)
                || Set.of("none", "None", "true", "True", "false", "False").contains(toks.get(nx).text))))) {
            // Jinja's `x is divisibleby 3`: a test's single argument may go without parentheses.
            sb.append(name).append('(').append(seq(nx, nx + 1)).append(')');
            return nx + 1;
        }
        if (!testOrFilterName && assigned.contains(name) && !KEYWORDS.contains(name) && undefinedMayPass(nx)) {
            // A name the template sets on some paths only ({% if execute %}{% set x = ... %}{% endif %}) reads as
            // Jinja's Undefined on the others: falsy, printing empty, and fine to pass to a macro or filter.
            sb.append("__var('").append(pebbleName(name)).append("')");
            return k + 1;
        }
        sb.append(testOrFilterName ? name : pebbleName(name));
        return k + 1;
    }

    /**
     * Whether a name followed by the token at nx may read as Undefined: not when an attribute, subscript or
     * keyword argument follows (Jinja fails on those too) nor before `is defined`, which Pebble answers itself.
     */
    private boolean undefinedMayPass(int nx) {
        if (nx < 0) return true;
        Tok t = toks.get(nx);
        if (t.type == T.DOT || t.type == T.ASSIGN || t.is("[") || t.is("(")) return false;
        if (!t.isId("is")) return true;
        int test = nextSig(nx + 1, toks.size());
        if (test >= 0 && toks.get(test).isId("not")) test = nextSig(test + 1, toks.size());
        return test < 0 || !(toks.get(test).isId("defined") || toks.get(test).isId("undefined"));
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

    /** A method's arguments, named ones as __kw markers; an empty list keeps its line breaks. */
    private String methodArguments(int from, int to) {
        List<String> args = arguments(from, to, true);
        return args.isEmpty() ? rawText(from, to) : String.join(",", args);
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
            if (a >= 0 && kwMarkers && (toks.get(a).is("*") || toks.get(a).is("**"))) {
                // f(*items, **options): spread when the call is made.
                out.add(rawText(start, a) + (toks.get(a).is("*") ? "__splat(" : "__kwsplat(") + expr(a + 1, end) + ")");
            } else if (a >= 0 && toks.get(a).type == T.ID && b >= 0 && toks.get(b).type == T.ASSIGN) {
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
        return joinAdjacentStrings(out);
    }

    /** Python joins adjacent string literals ("a" "b" is "ab"), and so does Jinja; codegen's macros rely on it. */
    private static List<Tok> joinAdjacentStrings(List<Tok> toks) {
        List<Tok> out = new ArrayList<>(toks.size());
        for (Tok t : toks) {
            if (t.type == T.STR && !out.isEmpty()) {
                int last = out.size() - 1;
                Tok ws = out.get(last).type == T.WS && last > 0 ? out.get(last) : null;
                Tok prev = out.get(ws == null ? last : last - 1);
                if (prev.type == T.STR) {
                    if (ws != null) out.remove(last);
                    out.set(out.size() - 1, new Tok(T.STR, prev.text + (ws == null ? "" : ws.text) + t.text, prev.value + t.value));
                    continue;
                }
            }
            out.add(t);
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
