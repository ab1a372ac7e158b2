package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import dev.sluice.template.JinjaTranslator.T;
import dev.sluice.template.JinjaTranslator.Tok;
import dev.sluice.template.TemplateScanner.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {% macro %}, {% test %}, {% snapshot %} and {% docs %} blocks. Macro bodies become
 * stand-alone templates whose line numbers still match the file they came from.
 */
final class MacroExtractor {

    record Param(String name, String defaultExpr) {
    }

    /** A macro as written: template is Jinja text laid out so its lines match the file. */
    record MacroDef(String name, List<Param> params, String template, Path file, int line) {
    }

    /** The macros of a source and the source with each macro block replaced by a comment. */
    record Extracted(List<MacroDef> macros, String rest) {
    }

    /** A block between an opening and closing tag. */
    record Block(String argument, Segment open, Segment close) {
    }

    private MacroExtractor() {
    }

    static Extracted extract(Path file, String source) {
        List<Segment> segs = scan(file, source);
        List<MacroDef> macros = new ArrayList<>();
        StringBuilder rest = new StringBuilder(source.length());
        int copied = 0;
        // Lines are counted on from the previous block, not from the start of the file for each block.
        int counted = 0;
        int line = 1;
        for (int k = 0; k < segs.size(); k++) {
            Segment open = segs.get(k);
            String tag = open.tagName(source);
            if (!tag.equals("macro") && !tag.equals("test") && !tag.equals("materialization")) continue;
            line += countLines(source, counted, open.start);
            counted = open.start;
            int closeIdx = findClose(source, segs, k, "end" + tag, file, line);
            Segment close = segs.get(closeIdx);
            macros.add(tag.equals("materialization") ? materialization(file, source, open, close, line)
                    : define(file, source, tag.equals("test"), open, close, line));
            // Keep the user's line numbers: the block becomes a comment with the same line breaks.
            rest.append(source, copied, open.start);
            rest.append(open.trimLeft ? "{#-" : "{#");
            rest.append("\n".repeat(countLines(source, open.start, close.end)));
            rest.append(close.trimRight ? "-#}" : "#}");
            copied = close.end;
            k = closeIdx;
        }
        rest.append(source, copied, source.length());
        return new Extracted(macros, rest.toString());
    }

    /** The {% name arg %}...{% endname %} blocks of a source. */
    static List<Block> blocks(Path file, String source, String name) {
        List<Segment> segs = scan(file, source);
        List<Block> out = new ArrayList<>();
        for (int k = 0; k < segs.size(); k++) {
            Segment open = segs.get(k);
            if (!open.tagName(source).equals(name)) continue;
            int line = TemplateScanner.lineAt(source, open.start);
            int closeIdx = findClose(source, segs, k, "end" + name, file, line);
            String inner = open.inner(source).trim();
            String arg = inner.substring(name.length()).trim();
            if (arg.isEmpty()) throw new CompilationException("{% " + name + " %} needs a name", SourceLocation.of(file, line));
            out.add(new Block(arg, open, segs.get(closeIdx)));
            k = closeIdx;
        }
        return out;
    }

    private static List<Segment> scan(Path file, String source) {
        try {
            return TemplateScanner.scan(source);
        } catch (TemplateScanner.ScanException e) {
            throw new CompilationException(e.getMessage(), SourceLocation.of(file, TemplateScanner.lineAt(source, e.offset)));
        }
    }

    private static int findClose(String source, List<Segment> segs, int openIdx, String endTag, Path file, int line) {
        String openTag = segs.get(openIdx).tagName(source);
        for (int j = openIdx + 1; j < segs.size(); j++) {
            String t = segs.get(j).tagName(source);
            if (t.equals(endTag)) return j;
            if (t.equals(openTag)) {
                throw new CompilationException("{% " + openTag + " %} blocks cannot be nested",
                        SourceLocation.of(file, TemplateScanner.lineAt(source, segs.get(j).start)));
            }
        }
        throw new CompilationException("{% " + openTag + " %} without {% " + endTag + " %}", SourceLocation.of(file, line));
    }

    /** Name of the macro a {% materialization name, adapter='x' %} block becomes, as dbt names it. */
    static String materializationMacro(String name, String adapter) {
        return "materialization_" + name + "_" + adapter;
    }

    /**
     * {% materialization name, adapter='duckdb' %} or {% materialization name, default %}: a macro without
     * arguments named materialization_name_adapter, run when a model has materialized='name'.
     */
    private static MacroDef materialization(Path file, String source, Segment open, Segment close, int line) {
        List<Tok> sig = signature(open.inner(source).trim().substring("materialization".length()));
        String adapter = "default";
        boolean ok = !sig.isEmpty() && sig.get(0).type() == T.ID;
        if (ok && sig.size() > 1) {
            ok = sig.get(1).type() == T.COMMA;
            if (ok && sig.size() == 3 && sig.get(2).isId("default")) {
                adapter = "default";
            } else if (ok && sig.size() == 5 && sig.get(2).isId("adapter") && sig.get(3).type() == T.ASSIGN
                    && sig.get(4).type() == T.STR) {
                adapter = sig.get(4).value();
            } else {
                ok = false;
            }
        }
        if (!ok) {
            throw new CompilationException("malformed {% materialization %} header: expected "
                    + "{% materialization name, adapter='duckdb' %} or {% materialization name, default %}",
                    SourceLocation.of(file, line));
        }
        Body body = Body.of(source, open, close, line);
        return new MacroDef(materializationMacro(sig.get(0).text(), adapter), List.of(), body.linePadding() + body.text(), file, line);
    }

    private static MacroDef define(Path file, String source, boolean isTest, Segment open, Segment close, int line) {
        List<Tok> sig = signature(open.inner(source).trim().substring(isTest ? 4 : 5));
        if (sig.isEmpty() || sig.get(0).type() != T.ID) {
            throw new CompilationException("malformed {% " + (isTest ? "test" : "macro") + " %} header: expected a name",
                    SourceLocation.of(file, line));
        }
        String name = sig.get(0).text();
        List<Param> params = new ArrayList<>();
        if (sig.size() > 1) {
            if (!sig.get(1).is("(") || !sig.get(sig.size() - 1).is(")")) {
                throw new CompilationException("malformed header of macro '" + name + "': expected name(arguments)",
                        SourceLocation.of(file, line));
            }
            params = params(sig.subList(2, sig.size() - 1), name, file, line);
        }
        Body body = Body.of(source, open, close, line);
        StringBuilder tpl = new StringBuilder(body.linePadding());
        for (Param p : params) {
            if (p.defaultExpr() != null) {
                tpl.append("{% if __unset_").append(p.name()).append(" %}{% set ").append(p.name()).append(" = ")
                        .append(p.defaultExpr().replace('\n', ' ')).append(" %}{% endif %}");
            }
        }
        tpl.append(body.text());
        return new MacroDef(isTest ? "test_" + name : name, params, tpl.toString(), file, line);
    }

    /** The tokens of a block's header but white space. */
    private static List<Tok> signature(String header) {
        List<Tok> sig = new ArrayList<>();
        for (Tok t : JinjaTranslator.tokenize(header)) {
            if (t.type() != T.WS) sig.add(t);
        }
        return sig;
    }

    /** A block's body between its tags, with their whitespace control applied, and the file line it starts on. */
    private record Body(String text, int line) {
        static Body of(String source, Segment open, Segment close, int openLine) {
            int start = open.end;
            int end = close.start;
            if (open.trimRight) {
                while (start < end && Character.isWhitespace(source.charAt(start))) start++;
            }
            if (close.trimLeft) {
                while (end > start && Character.isWhitespace(source.charAt(end - 1))) end--;
            }
            return new Body(source.substring(start, end), openLine + countLines(source, open.start, start));
        }

        /** A comment spanning the lines before the body, so that Pebble counts the body's lines as the file does. */
        String linePadding() {
            return "{#" + "\n".repeat(line - 1) + "#}";
        }
    }

    private static List<Param> params(List<Tok> toks, String macro, Path file, int line) {
        List<Param> out = new ArrayList<>();
        int depth = 0;
        List<Tok> cur = new ArrayList<>();
        for (int k = 0; k <= toks.size(); k++) {
            Tok t = k < toks.size() ? toks.get(k) : null;
            if (t == null || (depth == 0 && t.type() == T.COMMA)) {
                if (!cur.isEmpty()) out.add(param(cur, macro, file, line));
                cur = new ArrayList<>();
                continue;
            }
            if (t.type() == T.OPEN) depth++;
            if (t.type() == T.CLOSE) depth--;
            cur.add(t);
        }
        return out;
    }

    private static Param param(List<Tok> toks, String macro, Path file, int line) {
        if (toks.get(0).is("*") || toks.get(0).is("**")) {
            throw new CompilationException("macro '" + macro + "': Jinja macros take no *args or **kwargs parameters; "
                    + "read the implicit varargs and kwargs variables instead", SourceLocation.of(file, line));
        }
        if (toks.get(0).type() != T.ID || (toks.size() > 1 && toks.get(1).type() != T.ASSIGN)
                || toks.size() == 2) {
            throw new CompilationException("malformed argument list of macro '" + macro + "'", SourceLocation.of(file, line));
        }
        if (toks.size() == 1) return new Param(toks.get(0).text(), null);
        StringBuilder def = new StringBuilder();
        for (Tok t : toks.subList(2, toks.size())) {
            def.append(t.text()).append(' ');
        }
        return new Param(toks.get(0).text(), def.toString().trim());
    }

    private static int countLines(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') n++;
        }
        return n;
    }

    /** name -> text of every {% docs name %} block. */
    static Map<String, String> docs(Path file, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Block b : blocks(file, source, "docs")) {
            String text = source.substring(b.open().end, b.close().start).strip();
            if (out.put(b.argument(), text) != null) {
                throw new CompilationException("docs block '" + b.argument() + "' is defined twice",
                        SourceLocation.of(file, TemplateScanner.lineAt(source, b.open().start)));
            }
        }
        return out;
    }

}
