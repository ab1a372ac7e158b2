package dev.sluice.state;

import dev.sluice.template.MacroFile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's and its packages' macros with their source, and which macros a piece of template calls: what
 * manifest.json's depends_on.macros holds, so state:modified.macros can follow a changed macro to the nodes that
 * call it, directly or through other macros. Calls are read from the Jinja tags only ({{ }} and {% %}), by name,
 * with adapter.dispatch('name') standing for every implementation of that name.
 */
public final class MacroIndex {
    private static final Pattern BLOCK = Pattern.compile(
            "\\{%-?\\s*(macro|test)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\((.*?)\\{%-?\\s*end\\1\\s*-?%}", Pattern.DOTALL);
    private static final Pattern DISPATCH = Pattern.compile("dispatch\\s*\\(\\s*(?:macro_name\\s*=\\s*)?['\"]([A-Za-z0-9_]+)['\"]");

    /** One macro: its unique id (macro.PACKAGE.NAME), package, name and full source. */
    public record Macro(String uniqueId, String packageName, String name, String sql) {
    }

    private final String rootPackage;
    private final Map<String, Macro> byId = new LinkedHashMap<>();
    /** Macro name to its ids, root project first. */
    private final Map<String, List<String>> byName = new LinkedHashMap<>();

    public MacroIndex(String rootPackage, List<MacroFile> files) {
        this.rootPackage = rootPackage;
        List<Macro> all = new ArrayList<>();
        for (MacroFile f : files) {
            String pkg = f.packageName() == null ? rootPackage : f.packageName();
            Matcher m = BLOCK.matcher(f.source());
            while (m.find()) {
                String name = m.group(1).equals("test") ? "test_" + m.group(2) : m.group(2);
                all.add(new Macro("macro." + pkg + "." + name, pkg, name, m.group()));
            }
        }
        all.sort((a, b) -> Boolean.compare(!a.packageName().equals(rootPackage), !b.packageName().equals(rootPackage)));
        for (Macro m : all) {
            byId.putIfAbsent(m.uniqueId(), m);
            byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m.uniqueId());
        }
    }

    public Map<String, Macro> macros() {
        return byId;
    }

    /** What calls() found, by template and package: many nodes share one template (every not_null test of a column id). */
    private final Map<Call, List<String>> found = new java.util.concurrent.ConcurrentHashMap<>();

    private record Call(String template, String packageName) {
    }

    /** The macros a template calls directly, as unique ids; packageName is the calling node's or macro's package. */
    public List<String> calls(String template, String packageName) {
        if (template == null) return List.of();
        return found.computeIfAbsent(new Call(template, packageName), c -> scan(c.template(), c.packageName()));
    }

    private List<String> scan(String template, String packageName) {
        Set<String> out = new LinkedHashSet<>();
        int from = 0;
        int[] tag = new int[2];
        while (nextTag(template, from, tag)) {
            String t = template.substring(tag[0], tag[1]);
            from = tag[1];
            // A call needs a '(' and dispatch its name; most tags ({{ x }}, {% endif %}) have neither.
            int at = t.indexOf('(') >= 0 ? 0 : -1;
            int[] call = new int[4];
            while (at >= 0 && (at = nextCall(t, at, call)) >= 0) {
                String qualifier = call[0] < 0 ? null : t.substring(call[0], call[1]);
                String name = t.substring(call[2], call[3]);
                if (qualifier != null && !qualifier.equals("dbt")) {
                    String id = "macro." + qualifier + "." + name;
                    if (byId.containsKey(id)) out.add(id);
                    continue;
                }
                resolve(name, packageName).ifPresent(out::add);
            }
            boolean dispatches = t.contains("dispatch");
            Matcher d = DISPATCH.matcher(t);
            while (dispatches && d.find()) {
                String suffix = "__" + d.group(1);
                byName.forEach((name, ids) -> {
                    if (name.endsWith(suffix)) out.addAll(ids);
                });
            }
        }
        return List.copyOf(out);
    }

    /**
     * The next Jinja tag at or after from, as the regex {@code \{\{.*?}}|\{%.*?%}} (DOTALL) finds it: the leftmost
     * "{{" or "{%" that has a closing "}}" or "%}" after it, up to the first such close. Found by indexOf, because
     * that regex tried both alternatives at every character of every model's template (3% of a cold compile's CPU).
     * Sets tag to {start, end}; false when there is none.
     */
    static boolean nextTag(String s, int from, int[] tag) {
        int i = s.indexOf('{', from);
        while (i >= 0 && i + 1 < s.length()) {
            char second = s.charAt(i + 1);
            if (second == '{' || second == '%') {
                int close = s.indexOf(second == '{' ? "}}" : "%}", i + 2);
                if (close >= 0) {
                    tag[0] = i;
                    tag[1] = close + 2;
                    return true;
                }
            }
            i = s.indexOf('{', i + 1);
        }
        return false;
    }

    /**
     * The next call in a tag at or after from, as the regex
     * {@code (?:\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*)?\b([A-Za-z_][A-Za-z0-9_]*)\s*\(} finds it: a name (with a
     * qualifier and a dot before it, when there is one) starting where the character before is not a word character,
     * then optional white space and '('. Scanned by hand because that regex, tried at every character of every
     * tag, was most of manifest.json's macro scan. Sets call to {qualifier start, qualifier end (both -1 without one),
     * name start, name end}; returns the index after the '(', or -1 when there is no call.
     */
    static int nextCall(String t, int from, int[] call) {
        int n = t.length();
        for (int s = from; s < n; s++) {
            if (!nameStart(t.charAt(s)) || !wordBoundary(t, s)) continue;
            int end = nameEnd(t, s);
            // The regex tries its optional qualifier first: a name, a dot, then the called name (after the dot the
            // boundary always holds: a dot or a space is no word character).
            int dot = spaces(t, end);
            if (dot < n && t.charAt(dot) == '.') {
                int name = spaces(t, dot + 1);
                if (name < n && nameStart(t.charAt(name))) {
                    int nameEnd = nameEnd(t, name);
                    int open = spaces(t, nameEnd);
                    if (open < n && t.charAt(open) == '(') {
                        call[0] = s;
                        call[1] = end;
                        call[2] = name;
                        call[3] = nameEnd;
                        return open + 1;
                    }
                }
            }
            int open = spaces(t, end);
            if (open < n && t.charAt(open) == '(') {
                call[0] = -1;
                call[1] = -1;
                call[2] = s;
                call[3] = end;
                return open + 1;
            }
        }
        return -1;
    }

    private static boolean nameStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    private static int nameEnd(String t, int i) {
        while (i < t.length() && (nameStart(t.charAt(i)) || t.charAt(i) >= '0' && t.charAt(i) <= '9')) i++;
        return i;
    }

    /** Past the white space the regex's \s takes (ASCII only): space, tab, newline, vertical tab, form feed, return. */
    private static int spaces(String t, int i) {
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != 0x0B && c != '\f' && c != '\r') break;
            i++;
        }
        return i;
    }

    /**
     * Java's \b before a word character at i: the character before is no word character (a letter or digit of any
     * script, or '_'), nor a non-spacing mark on one.
     */
    private static boolean wordBoundary(String t, int i) {
        if (i == 0) return true;
        int before = Character.codePointBefore(t, i);
        if (before == '_' || Character.isLetterOrDigit(before)) return false;
        if (Character.getType(before) != Character.NON_SPACING_MARK) return true;
        for (int x = i - 1; x >= 0; x--) {
            int c = Character.codePointAt(t, x);
            if (Character.isLetterOrDigit(c)) return false;
            if (Character.getType(c) != Character.NON_SPACING_MARK) return true;
        }
        return true;
    }

    /** dbt's search order for a bare name: the root project, the caller's package, then any package. */
    private java.util.Optional<String> resolve(String name, String packageName) {
        List<String> ids = byName.get(name);
        if (ids == null) return java.util.Optional.empty();
        for (String pkg : List.of(rootPackage, packageName == null ? rootPackage : packageName)) {
            String id = "macro." + pkg + "." + name;
            if (ids.contains(id)) return java.util.Optional.of(id);
        }
        return java.util.Optional.of(ids.get(0));
    }
}
