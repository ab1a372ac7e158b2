package dev.sluice.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits Jinja source into text, comments, statement tags, print expressions and raw blocks, the
 * way Jinja's lexer does: a delimiter inside a string literal or inside brackets does not close.
 */
final class TemplateScanner {

    enum Kind { TEXT, COMMENT, TAG, PRINT, RAW }

    /** One piece of the source; inner is the text between the delimiters and trim markers. */
    static final class Segment {
        final Kind kind;
        final int start;
        final int end;
        final int innerStart;
        final int innerEnd;
        final boolean trimLeft;
        final boolean trimRight;
        /** Only for RAW: the open tag's right trim and the end tag's left trim. */
        boolean rawOpenTrimRight;
        boolean rawCloseTrimLeft;

        Segment(Kind kind, int start, int end, int innerStart, int innerEnd, boolean trimLeft, boolean trimRight) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.innerStart = innerStart;
            this.innerEnd = innerEnd;
            this.trimLeft = trimLeft;
            this.trimRight = trimRight;
        }

        String inner(String source) {
            return source.substring(innerStart, innerEnd);
        }

        /** First identifier of a tag, e.g. "if" or "macro"; "" if none. */
        String tagName(String source) {
            if (kind != Kind.TAG) return "";
            int i = innerStart;
            while (i < innerEnd && Character.isWhitespace(source.charAt(i))) i++;
            int j = i;
            while (j < innerEnd && (Character.isLetterOrDigit(source.charAt(j)) || source.charAt(j) == '_')) j++;
            return source.substring(i, j);
        }
    }

    /** A template whose delimiters do not balance; offset is where the bad construct starts. */
    static final class ScanException extends RuntimeException {
        final int offset;

        ScanException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private static final Pattern END_RAW = Pattern.compile("\\{%(-?)\\s*endraw\\s*(-?)%}");

    private TemplateScanner() {
    }

    static List<Segment> scan(String s) {
        List<Segment> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int j = nextOpen(s, i);
            if (j < 0) {
                out.add(new Segment(Kind.TEXT, i, n, i, n, false, false));
                break;
            }
            if (j > i) out.add(new Segment(Kind.TEXT, i, j, i, j, false, false));
            char c = s.charAt(j + 1);
            if (c == '#') {
                int k = s.indexOf("#}", j + 2);
                if (k < 0) throw new ScanException("unclosed comment", j);
                out.add(new Segment(Kind.COMMENT, j, k + 2, j + 2, k, false, false));
                i = k + 2;
                continue;
            }
            boolean isTag = c == '%';
            int p = j + 2;
            boolean trimLeft = p < n && s.charAt(p) == '-';
            if (trimLeft) p++;
            int q = findClose(s, p, isTag);
            if (q < 0) throw new ScanException(isTag ? "unclosed tag: missing '%}'" : "unclosed expression: missing '}}'", j);
            int innerEnd = q;
            boolean trimRight = innerEnd > p && s.charAt(innerEnd - 1) == '-';
            if (trimRight) innerEnd--;
            Segment seg = new Segment(isTag ? Kind.TAG : Kind.PRINT, j, q + 2, p, innerEnd, trimLeft, trimRight);
            if (isTag && seg.tagName(s).equals("raw")) {
                Matcher m = END_RAW.matcher(s);
                if (!m.find(q + 2)) throw new ScanException("raw block without {% endraw %}", j);
                Segment raw = new Segment(Kind.RAW, j, m.end(), q + 2, m.start(), trimLeft, !m.group(2).isEmpty());
                raw.rawOpenTrimRight = trimRight;
                raw.rawCloseTrimLeft = !m.group(1).isEmpty();
                out.add(raw);
                i = m.end();
                continue;
            }
            out.add(seg);
            i = q + 2;
        }
        return out;
    }

    private static int nextOpen(String s, int from) {
        int n = s.length();
        for (int k = s.indexOf('{', from); k >= 0 && k + 1 < n; k = s.indexOf('{', k + 1)) {
            char c = s.charAt(k + 1);
            if (c == '{' || c == '%' || c == '#') return k;
        }
        return -1;
    }

    /** Index of the closing delimiter, skipping string literals and nested brackets. */
    private static int findClose(String s, int from, boolean isTag) {
        int n = s.length();
        int depth = 0;
        int q = from;
        while (q < n) {
            char ch = s.charAt(q);
            if (ch == '\'' || ch == '"') {
                q = skipString(s, q);
                continue;
            }
            if (q + 1 < n && s.charAt(q + 1) == '}' && depth == 0 && ch == (isTag ? '%' : '}')) return q;
            if (ch == '(' || ch == '[' || ch == '{') depth++;
            else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) depth--;
            q++;
        }
        return -1;
    }

    /** Index just past the string literal starting at q (or the end of the source if unclosed). */
    static int skipString(String s, int q) {
        char quote = s.charAt(q);
        int k = q + 1;
        while (k < s.length()) {
            char ch = s.charAt(k);
            if (ch == '\\') {
                k += 2;
                continue;
            }
            if (ch == quote) return k + 1;
            k++;
        }
        return s.length();
    }

    /** 1-based line of an offset. */
    static int lineAt(String s, int offset) {
        int line = 1;
        for (int k = 0; k < offset && k < s.length(); k++) {
            if (s.charAt(k) == '\n') line++;
        }
        return line;
    }
}
