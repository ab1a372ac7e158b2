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
    private static final Pattern CALL = Pattern.compile("(?:\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\.\\s*)?\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
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
            // Both patterns need a character the tag may lack; most tags ({{ x }}, {% endif %}) have neither.
            boolean calls = t.indexOf('(') >= 0;
            Matcher c = CALL.matcher(t);
            while (calls && c.find()) {
                String qualifier = c.group(1);
                String name = c.group(2);
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
