package dev.sluice.template;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.ExtensionRegistry;
import io.pebbletemplates.pebble.extension.NodeVisitorFactory;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.RootNode;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.UnaryOperator;
import io.pebbletemplates.pebble.parser.ParserImpl;
import io.pebbletemplates.pebble.parser.ParserOptions;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes the common, simple part of the Pebble language (what JinjaTranslator emits for most models and
 * macros) into exactly the tokens Pebble's own lexer gives, then parses them with Pebble's parser.
 *
 * <p>Why: Pebble's lexer rebuilds a regular expression of all operators for every template and runs several
 * regular expressions per token; in a 10,000-model compile that was a tenth of the CPU and a third of all
 * allocation. Anything outside the subset below returns null from {@link #tokens} and is compiled by Pebble
 * as before, so errors and rare constructs keep Pebble's exact behaviour: a {@code -} not followed by
 * whitespace after an opening delimiter, verbatim, string escapes and interpolation, carriage returns, other control or non-ASCII
 * characters inside tags, unbalanced brackets and unterminated tags. The engine uses Pebble's default
 * syntax without newline trimming ({@link JinjaRuntime}); PebbleLexerTest compares the tokens with Pebble's
 * lexer on every template it can find.
 */
final class PebbleLexer {
    private final PebbleEngine engine;
    /** Every operator symbol, longest first (Pebble matches the first alternative of one regular expression). */
    private final String[] operators;
    private final boolean[] wordEnd;
    /** Indexes into operators by first character (ASCII), in the same longest-first order. */
    private final int[][] byFirst = new int[128][];

    PebbleLexer(PebbleEngine engine) {
        this.engine = engine;
        ExtensionRegistry registry = engine.getExtensionRegistry();
        List<String> ops = new ArrayList<>();
        for (UnaryOperator u : registry.getUnaryOperators().values()) ops.add(u.getSymbol());
        for (BinaryOperator b : registry.getBinaryOperators().values()) ops.add(b.getSymbol());
        ops.sort((a, b) -> b.length() - a.length()); // stable, as Pebble's sort
        this.operators = ops.toArray(new String[0]);
        this.wordEnd = new boolean[operators.length];
        for (int i = 0; i < operators.length; i++) {
            char last = operators[i].charAt(operators[i].length() - 1);
            wordEnd[i] = Character.isLetter(last) || Character.getType(last) == Character.LETTER_NUMBER;
        }
        for (char c = 0; c < 128; c++) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < operators.length; i++) if (operators[i].charAt(0) == c) at.add(i);
            byFirst[c] = at.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    PebbleEngine engine() {
        return engine;
    }

    /** The template of Pebble source, or null when it is not in the subset (the caller asks Pebble then). */
    PebbleTemplate compile(String source) {
        List<Token> tokens = tokens(source);
        if (tokens == null) return null;
        ExtensionRegistry registry = engine.getExtensionRegistry();
        RootNode root = new ParserImpl(registry.getUnaryOperators(), registry.getBinaryOperators(),
                registry.getTokenParsers(), new ParserOptions()).parse(new TokenStream(tokens, source));
        PebbleTemplateImpl template = new PebbleTemplateImpl(engine, root, source);
        for (NodeVisitorFactory f : registry.getNodeVisitors()) f.createVisitor(template).visit(root);
        return template;
    }

    private static final String PUNCTUATION = "()[]{}?:.,|=";

    /** Pebble's tokens of source, or null when source is outside the subset. */
    List<Token> tokens(String s) {
        if (s.indexOf('\r') >= 0) return null;
        List<Token> out = new ArrayList<>();
        ArrayDeque<Character> brackets = new ArrayDeque<>();
        int n = s.length();
        int pos = 0;
        int line = 1;
        // Set by a closing "-}}", "-%}" or "-#}": the next text loses its leading whitespace.
        boolean trimNext = false;
        while (pos < n) {
            // Data: up to the next {{, {% or {#.
            int open = nextDelimiter(s, pos);
            int end = open < 0 ? n : open + 2;
            line = advance(s, pos, end, line);
            String text = s.substring(pos, open < 0 ? n : open);
            if (trimNext) {
                text = ltrim(text);
                trimNext = false;
            }
            Token textToken = null;
            if (!text.isEmpty()) out.add(textToken = new Token(Token.Type.TEXT, text, line));
            pos = end;
            if (open < 0) break;
            char kind = s.charAt(open + 1);
            if (pos < n && s.charAt(pos) == '-') {
                // "{{- ", "{%- ", "{#- ": the text before loses its trailing whitespace (a token already pushed
                // keeps its place, even when nothing is left of it). A '-' without whitespace after it is rare.
                if (pos + 1 >= n || !isRegexSpace(s.charAt(pos + 1))) return null;
                if (textToken != null) textToken.setValue(rtrim(textToken.getValue()));
                int e = pos + 1;
                while (e < n && isRegexSpace(s.charAt(e))) e++;
                line = advance(s, pos, e, line);
                pos = e;
            }
            if (kind == '#') {
                // A comment gives no token; ending in whitespace and '-' it trims the text after it.
                int close = s.indexOf("#}", pos);
                if (close < 0) return null;
                trimNext = close - pos >= 2 && s.charAt(close - 1) == '-' && isRegexSpace(s.charAt(close - 2));
                line = advance(s, pos, close + 2, line);
                pos = close + 2;
                continue;
            }
            boolean print = kind == '{';
            if (!print && s.startsWith("verbatim", skipSpace(s, pos))) return null;
            out.add(new Token(print ? Token.Type.PRINT_START : Token.Type.EXECUTE_START, null, line));
            String close = print ? "}}" : "%}";
            // Inside the tag: expressions up to the closing delimiter at bracket depth 0.
            while (true) {
                int q = skipSpace(s, pos);
                if (q >= n) return null; // unterminated tag
                if (s.startsWith("-}}", q) || s.startsWith("-%}", q) || s.startsWith("-#}", q)) {
                    // Whitespace control at this tag's own end; anywhere else it is Pebble's to sort out.
                    if (!brackets.isEmpty() || !s.startsWith(close, q + 1)) return null;
                    trimNext = true;
                    out.add(new Token(print ? Token.Type.PRINT_END : Token.Type.EXECUTE_END, close, line));
                    line = advance(s, pos, q + 3, line);
                    pos = q + 3;
                    break;
                }
                if (brackets.isEmpty() && s.startsWith(close, q)) {
                    out.add(new Token(print ? Token.Type.PRINT_END : Token.Type.EXECUTE_END, close, line));
                    line = advance(s, pos, q + 2, line);
                    pos = q + 2;
                    break;
                }
                line = advance(s, pos, q, line);
                pos = q;
                char c = s.charAt(pos);
                if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n')) return null;
                int op = operator(s, pos);
                if (op >= 0) {
                    out.add(new Token(Token.Type.OPERATOR, operators[op], line));
                    pos += operators[op].length();
                    continue;
                }
                if (isLetter(c)) {
                    int e = pos + 1;
                    while (e < n && (isLetter(s.charAt(e)) || isDigit(s.charAt(e)))) e++;
                    if (e < n && s.charAt(e) >= 0x80) return null; // Pebble's names take any letter or digit
                    out.add(new Token(Token.Type.NAME, s.substring(pos, e), line));
                    pos = e;
                    continue;
                }
                if (isDigit(c)) {
                    int e = pos + 1;
                    while (e < n && isDigit(s.charAt(e))) e++;
                    if (e < n && s.charAt(e) == 'L') {
                        out.add(new Token(Token.Type.LONG, s.substring(pos, e), line));
                        pos = e + 1;
                        continue;
                    }
                    if (e + 1 < n && s.charAt(e) == '.' && isDigit(s.charAt(e + 1))) {
                        e += 2;
                        while (e < n && isDigit(s.charAt(e))) e++;
                    }
                    out.add(new Token(Token.Type.NUMBER, s.substring(pos, e), line));
                    pos = e;
                    continue;
                }
                if (PUNCTUATION.indexOf(c) >= 0) {
                    if (c == '(' || c == '[' || c == '{') {
                        brackets.push(c);
                    } else if (c == ')' || c == ']' || c == '}') {
                        if (brackets.isEmpty()) return null;
                        char o = brackets.pop();
                        if ((o == '(' ? ')' : o == '[' ? ']' : '}') != c) return null;
                    }
                    out.add(new Token(Token.Type.PUNCTUATION, String.valueOf(c), line));
                    pos++;
                    continue;
                }
                if (c == '\'' || c == '"') {
                    int e = pos + 1;
                    while (e < n && s.charAt(e) != c) {
                        char x = s.charAt(e);
                        // Escapes and (in double quotes) interpolation are left to Pebble.
                        if (x == '\\' || (c == '"' && x == '#')) return null;
                        e++;
                    }
                    if (e >= n) return null;
                    line = advance(s, pos, e + 1, line);
                    out.add(new Token(Token.Type.STRING, s.substring(pos + 1, e), line));
                    pos = e + 1;
                    continue;
                }
                return null;
            }
        }
        out.add(new Token(Token.Type.EOF, null, line));
        return out;
    }

    /** The first {{, {% or {# at or after from, or -1. */
    private static int nextDelimiter(String s, int from) {
        int i = s.indexOf('{', from);
        while (i >= 0 && i + 1 < s.length()) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
            i = s.indexOf('{', i + 1);
        }
        return -1;
    }

    /** The index of the operator starting at pos, or -1; an operator ending in a letter must end a word. */
    private int operator(String s, int pos) {
        char first = s.charAt(pos);
        if (first >= 128) return -1; // never reached: the caller leaves non-ASCII to Pebble
        for (int i : byFirst[first]) {
            String op = operators[i];
            if (!s.startsWith(op, pos)) continue;
            int after = pos + op.length();
            if (wordEnd[i] && after < s.length()) {
                char c = s.charAt(after);
                if (isLetter(c) || isDigit(c)) continue;
            }
            return i;
        }
        return -1;
    }

    /** The whitespace this lexer steps over inside tags (other whitespace characters are left to Pebble). */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    /** A regular expression's \\s (Pebble's patterns use it). */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** Pebble's trims: Character.isWhitespace. */
    private static String ltrim(String t) {
        int i = 0;
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) i++;
        return t.substring(i);
    }

    private static String rtrim(String t) {
        int i = t.length();
        while (i > 0 && Character.isWhitespace(t.charAt(i - 1))) i--;
        return t.substring(0, i);
    }

    private static int skipSpace(String s, int pos) {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n')) pos++;
        return pos;
    }

    /** The line number after the characters from..to, counting the line breaks Pebble counts. */
    private static int advance(String s, int from, int to, int line) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') line++;
        }
        return line;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
