package dev.sluice.graph;

import dev.sluice.error.ConfigException;
import dev.sluice.project.Configs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: space-separated terms are a union, comma-joined terms an intersection; each term is
 * a method (tag:, path:, config.key:, resource_type:, source:, test_type:, or a name / fqn with * globs)
 * with graph operators +, N+, +N and @.
 */
public final class Selector {
    private static final Pattern TERM = Pattern.compile("^(@)?(?:(\\d*)\\+)?(.+?)(?:\\+(\\d*))?$");

    /**
     * What selection needs to know of a node; sources are included so source:x+ works.
     *
     * @param genericTestName a generic test's test, without its package (dbt's test_metadata.name: "unique",
     *                        "expression_is_true"); null for every other node
     */
    public record Candidate(String uniqueId, String type, String name, List<String> fqn, Path file,
                            Map<String, Object> config, String genericTestName, Set<String> testedIds) {
        public boolean genericTest() {
            return genericTestName != null;
        }
    }

    /** A selection method that needs more than a node's own facts (state:, result:): its value to the matching ids. */
    @FunctionalInterface
    public interface Method {
        Set<String> matching(String value);
    }

    private final Dag graph;
    private final Map<String, Candidate> candidates;
    private final Map<String, Method> methods;

    public Selector(Dag graph, Map<String, Candidate> candidates) {
        this(graph, candidates, Map.of());
    }

    /** @param methods further methods by name (state, result), asked before the built-in ones */
    public Selector(Dag graph, Map<String, Candidate> candidates, Map<String, Method> methods) {
        this.graph = graph;
        this.candidates = candidates;
        this.methods = methods;
    }

    /**
     * @param select  selection terms; empty selects everything
     * @param exclude terms to remove
     * @param tests   which tests of selected nodes are added; null for none
     */
    public Set<String> select(List<String> select, List<String> exclude, IndirectSelection tests) {
        Set<String> chosen = select.isEmpty() ? new LinkedHashSet<>(candidates.keySet()) : union(select);
        Set<String> excluded = exclude.isEmpty() ? Set.of() : union(exclude);
        if (!excluded.isEmpty()) {
            // As dbt: excluding a node also excludes the tests that test it, even those that test a kept node too
            // (a relationships test from a kept model to an excluded one).
            Set<String> withTests = new LinkedHashSet<>(excluded);
            for (Candidate c : candidates.values()) {
                if ((c.type().equals("test") || c.type().equals("unit_test")) && c.testedIds().stream().anyMatch(excluded::contains)) {
                    withTests.add(c.uniqueId());
                }
            }
            excluded = withTests;
        }
        chosen.removeAll(excluded);
        if (tests != null && tests != IndirectSelection.EMPTY && !select.isEmpty()) {
            Set<String> upstream = new LinkedHashSet<>(chosen);
            if (tests == IndirectSelection.BUILDABLE) {
                upstream.addAll(graph.ancestorsOfAll(chosen));
            }
            for (Candidate c : candidates.values()) {
                if (!(c.type().equals("test") || c.type().equals("unit_test")) || excluded.contains(c.uniqueId()) || chosen.contains(c.uniqueId())) continue;
                boolean any = c.testedIds().stream().anyMatch(chosen::contains);
                boolean all = c.testedIds().stream().allMatch(upstream::contains);
                if (any && (tests == IndirectSelection.EAGER || all)) chosen.add(c.uniqueId());
            }
        }
        return chosen;
    }

    /**
     * The selection criteria (space-separated parts of --select and --exclude) that match no node, so the
     * user hears about a typo instead of getting a silently smaller run (dbt's NoNodesForSelectionCriteria).
     */
    public List<String> unmatched(List<String> select, List<String> exclude) {
        List<String> out = new ArrayList<>();
        for (List<String> terms : List.of(select, exclude)) {
            for (String raw : terms) {
                for (String part : raw.trim().split("\\s+")) {
                    if (!part.isEmpty() && union(List.of(part)).isEmpty()) out.add(part);
                }
            }
        }
        return out;
    }

    private Set<String> union(List<String> terms) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : terms) {
            for (String part : raw.trim().split("\\s+")) {
                if (part.isEmpty()) continue;
                Set<String> inter = null;
                for (String atom : part.split(",")) {
                    Set<String> s = term(atom);
                    if (inter == null) inter = s;
                    else inter.retainAll(s);
                }
                if (inter != null) out.addAll(inter);
            }
        }
        return out;
    }

    private Set<String> term(String atom) {
        Matcher m = TERM.matcher(atom);
        if (!m.matches()) throw new ConfigException("cannot read selector '" + atom + "'");
        boolean at = m.group(1) != null;
        String up = m.group(2);
        String body = m.group(3);
        String down = m.group(4);
        Set<String> base = match(body);
        Set<String> out = new LinkedHashSet<>(base);
        for (String id : base) {
            if (up != null) out.addAll(graph.ancestors(id, depth(up)));
            if (down != null || at) out.addAll(graph.descendants(id, down == null ? Integer.MAX_VALUE : depth(down)));
        }
        if (at) {
            out.addAll(graph.ancestorsOfAll(new ArrayList<>(out)));
        }
        return out;
    }

    /** The nodes one method matches, without graph operators: "tag:x", "path:models/a", "orders". */
    public Set<String> matching(String body) {
        return match(body);
    }

    private static int depth(String s) {
        return s.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(s);
    }

    private Set<String> match(String body) {
        int colon = body.indexOf(':');
        String method = colon > 0 ? body.substring(0, colon) : null;
        String value = colon > 0 ? body.substring(colon + 1) : body;
        if (method == null && (value.contains("/") || value.endsWith(".sql") || value.endsWith(".csv"))) method = "path";
        if (method != null && methods.containsKey(method)) {
            Set<String> out = new LinkedHashSet<>(methods.get(method).matching(value));
            out.retainAll(candidates.keySet());
            return out;
        }
        Set<String> out = new LinkedHashSet<>();
        for (Candidate c : candidates.values()) {
            if (matches(c, method == null ? "fqn" : method, value)) out.add(c.uniqueId());
        }
        return out;
    }

    private boolean matches(Candidate c, String method, String value) {
        switch (method) {
            case "fqn":
                return !c.type().equals("source") && fqnMatches(c, value);
            case "tag":
                return Configs.strings(c.config().get("tags")).stream().anyMatch(t -> glob(value, t));
            case "path": {
                if (c.file() == null || c.type().equals("source")) return false;
                Path want = Path.of(value).normalize();
                return c.file().normalize().startsWith(want) || glob(value, c.file().toString());
            }
            case "resource_type":
                return c.type().equals(value);
            case "source": {
                if (!c.type().equals("source")) return false;
                String[] parts = value.split("\\.");
                return c.fqn().size() >= 2 && glob(parts[0], c.fqn().get(0))
                        && (parts.length < 2 || glob(parts[1], c.fqn().get(1)));
            }
            case "test_type":
                // dbt 1.8+: data is every data test (generic and singular), unit the unit tests.
                if (value.equals("unit")) return c.type().equals("unit_test");
                if (value.equals("data")) return c.type().equals("test");
                return c.type().equals("test") && (value.equals("generic") == c.genericTest())
                        && (value.equals("generic") || value.equals("singular"));
            case "unique_id":
                return c.uniqueId().equals(value);
            case "package": {
                // The package is the second part of every unique id: model.dbt_utils.x, source.pkg.src.table.
                String[] parts = c.uniqueId().split("\\.");
                return parts.length > 1 && glob(value, parts[1]);
            }
            case "test_name":
                // As dbt: a generic test by the test it applies (test_name:unique), a singular or unit test (dbt
                // 1.8+) by its own name.
                return (c.type().equals("test") || c.type().equals("unit_test"))
                        && glob(value, c.genericTest() ? c.genericTestName() : c.name());
            case "exposure":
                return c.type().equals("exposure") && glob(value, c.name());
            case "group":
                return glob(value, String.valueOf(c.config().get("group")));
            case "access":
                return c.type().equals("model") && value.equals(String.valueOf(c.config().getOrDefault("access", "protected")));
            default:
                if (method.startsWith("config.")) {
                    Object v = c.config().get(method.substring("config.".length()));
                    return v != null && Configs.strings(v).stream().anyMatch(s -> glob(value, s));
                }
                throw new ConfigException("unknown selection method '" + method + ":' (known: tag, path, config.KEY, "
                        + "resource_type, source, package, test_type, test_name, exposure, group, access, state, result, "
                        + "source_status)");
        }
    }

    private static boolean fqnMatches(Candidate c, String selector) {
        if (glob(selector, c.name())) return true;
        List<String> sel = Arrays.asList(selector.split("\\."));
        return prefix(sel, c.fqn()) || (c.fqn().size() > 1 && prefix(sel, c.fqn().subList(1, c.fqn().size())));
    }

    private static boolean prefix(List<String> sel, List<String> fqn) {
        if (sel.size() > fqn.size()) return false;
        for (int i = 0; i < sel.size(); i++) {
            if (sel.get(i).equals("*")) return true;
            if (!glob(sel.get(i), fqn.get(i))) return false;
        }
        return true;
    }

    static boolean glob(String pattern, String s) {
        if (!pattern.contains("*") && !pattern.contains("?")) return pattern.equals(s);
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '*') re.append(".*");
            else if (ch == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(ch)));
        }
        return s.matches(re.toString());
    }
}
