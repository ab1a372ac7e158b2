package dev.sluice.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexical rewrites that let Calcite's Babel parser accept common DuckDB/PostgreSQL spellings.
 *
 * <p>{@link #normalize} keeps every character at its offset (same length, newlines untouched) so parser
 * error positions still point into the user's SQL. {@link #quoteKeywordIdentifiers} does not; it is only a
 * second attempt whose errors are never reported.
 */
final class SqlNormalizer {

    /** Units Calcite accepts after {@code INTERVAL '<n>'}, singular and plural. */
    private static final Set<String> INTERVAL_UNITS = Set.of(
            "year", "years", "month", "months", "week", "weeks", "day", "days",
            "hour", "hours", "minute", "minutes", "second", "seconds");

    private static final Pattern INTERVAL_BODY =
            Pattern.compile("'(\\s*)([+-]?\\d+(?:\\.\\d+)?)(\\s+)([A-Za-z]+)(\\s*)'");

    /** Type keywords Calcite reserves but dbt models often use as column names. */
    private static final Set<String> KEYWORD_IDENTIFIERS = Set.of("date", "timestamp", "time");

    private SqlNormalizer() {
    }

    enum Kind { WORD, STRING, QUOTED, COMMENT, SPACE, OTHER }

    record Token(Kind kind, int start, int end) {
        String text(String sql) {
            return sql.substring(start, end);
        }
    }

    /** Splits SQL into tokens coarsely: only enough to know what is inside strings and comments. */
    static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            Kind kind;
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                kind = Kind.COMMENT;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                kind = Kind.COMMENT;
            } else if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
                kind = c == '\'' ? Kind.STRING : Kind.QUOTED;
            } else if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.SPACE;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                kind = Kind.WORD;
            } else {
                i++;
                kind = Kind.OTHER;
            }
            tokens.add(new Token(kind, start, i));
        }
        return tokens;
    }

    /** Skips a quoted string or identifier, where a doubled quote is an escaped quote. */
    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** Length- and line-preserving rewrites; see the class comment. */
    static String normalize(String sql) {
        List<Token> tokens = tokenize(sql);
        char[] out = sql.toCharArray();
        blankTrailingSemicolons(tokens, sql, out);
        rewriteIntervals(tokens, sql, out);
        unquoteDateDiffUnits(tokens, sql, out);
        return new String(out);
    }

    /** Calcite's query parser rejects a statement terminator; a trailing one carries no meaning. */
    private static void blankTrailingSemicolons(List<Token> tokens, String sql, char[] out) {
        for (int t = tokens.size() - 1; t >= 0; t--) {
            Token token = tokens.get(t);
            if (token.kind() == Kind.SPACE || token.kind() == Kind.COMMENT) {
                continue;
            }
            if (token.kind() == Kind.OTHER && sql.charAt(token.start()) == ';') {
                out[token.start()] = ' ';
                continue;
            }
            return;
        }
    }

    /**
     * PostgreSQL's {@code interval '90 days'} puts the unit inside the string, which Calcite rejects;
     * {@code interval '90' days} has the same length and meaning.
     */
    private static void rewriteIntervals(List<Token> tokens, String sql, char[] out) {
        for (int t = 0; t < tokens.size(); t++) {
            Token token = tokens.get(t);
            if (token.kind() != Kind.WORD || !token.text(sql).equalsIgnoreCase("interval")) {
                continue;
            }
            int next = nextSignificant(tokens, t + 1);
            if (next < 0 || tokens.get(next).kind() != Kind.STRING) {
                continue;
            }
            Token literal = tokens.get(next);
            Matcher m = INTERVAL_BODY.matcher(literal.text(sql));
            if (!m.matches() || !INTERVAL_UNITS.contains(m.group(4).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String gap = " ".repeat(m.group(1).length() + m.group(3).length());
            String replaced = "'" + m.group(2) + "'" + gap + m.group(4) + " ".repeat(m.group(5).length());
            replaced.getChars(0, replaced.length(), out, literal.start());
        }
    }

    /**
     * Babel parses {@code datediff} as a keyword taking a bare unit, while DuckDB and dbt macros write
     * {@code datediff('day', a, b)}; dropping the quotes (replaced by spaces) keeps offsets. DuckDB's
     * {@code date_diff('day', a, b)} is the same function, but Babel reads {@code date_diff} as BigQuery's
     * (unit last), so it becomes {@code datediff } too: same length, and the unit argument stays first.
     */
    private static void unquoteDateDiffUnits(List<Token> tokens, String sql, char[] out) {
        for (int t = 0; t < tokens.size(); t++) {
            Token token = tokens.get(t);
            boolean underscored = token.text(sql).equalsIgnoreCase("date_diff");
            if (token.kind() != Kind.WORD || !(underscored || token.text(sql).equalsIgnoreCase("datediff"))) {
                continue;
            }
            int open = nextSignificant(tokens, t + 1);
            if (open < 0 || !tokens.get(open).text(sql).equals("(")) {
                continue;
            }
            int unit = nextSignificant(tokens, open + 1);
            if (unit < 0 || tokens.get(unit).kind() != Kind.STRING) {
                continue;
            }
            Token literal = tokens.get(unit);
            String body = sql.substring(literal.start() + 1, literal.end() - 1).toLowerCase(Locale.ROOT);
            if (literal.end() - literal.start() >= 2 && sql.charAt(literal.end() - 1) == '\''
                    && (INTERVAL_UNITS.contains(body) || body.equals("quarter"))) {
                out[literal.start()] = ' ';
                out[literal.end() - 1] = ' ';
                if (underscored) {
                    "datediff ".getChars(0, 9, out, token.start());
                }
            }
        }
    }

    private static int nextSignificant(List<Token> tokens, int from) {
        for (int t = from; t < tokens.size(); t++) {
            Kind kind = tokens.get(t).kind();
            if (kind != Kind.SPACE && kind != Kind.COMMENT) {
                return t;
            }
        }
        return -1;
    }

    private static int previousSignificant(List<Token> tokens, int from) {
        for (int t = from; t >= 0; t--) {
            Kind kind = tokens.get(t).kind();
            if (kind != Kind.SPACE && kind != Kind.COMMENT) {
                return t;
            }
        }
        return -1;
    }

    /**
     * Double-quotes {@code date}/{@code timestamp}/{@code time} where they look like column names rather
     * than a type or a typed literal. A heuristic, so it is only tried after the plain parse failed.
     */
    static String quoteKeywordIdentifiers(String sql) {
        List<Token> tokens = tokenize(sql);
        StringBuilder out = new StringBuilder(sql.length() + 16);
        for (int t = 0; t < tokens.size(); t++) {
            Token token = tokens.get(t);
            String text = token.text(sql);
            if (token.kind() == Kind.WORD && KEYWORD_IDENTIFIERS.contains(text.toLowerCase(Locale.ROOT))
                    && usedAsIdentifier(tokens, sql, t)) {
                out.append('"').append(text).append('"');
            } else {
                out.append(text);
            }
        }
        return out.toString();
    }

    private static boolean usedAsIdentifier(List<Token> tokens, String sql, int t) {
        int prev = previousSignificant(tokens, t - 1);
        int next = nextSignificant(tokens, t + 1);
        String before = prev < 0 ? "" : tokens.get(prev).text(sql).toLowerCase(Locale.ROOT);
        String after = next < 0 ? "" : tokens.get(next).text(sql).toLowerCase(Locale.ROOT);
        if (next >= 0 && tokens.get(next).kind() == Kind.STRING) {
            return false; // typed literal: date '2024-01-01'
        }
        if (before.equals(":") || before.equals("with") || before.equals("without") || before.equals("at")) {
            return false; // x::date, with time zone, at time zone
        }
        if (after.equals("(") || after.equals("with") || after.equals("without") || after.equals("zone")) {
            return false; // date(x), timestamp with time zone, timestamp(3)
        }
        // "cast(x as date)" is a type, "x as date," an alias: only a closing parenthesis tells them apart.
        return !(before.equals("as") && after.equals(")"));
    }
}
