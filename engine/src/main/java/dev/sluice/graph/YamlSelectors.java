package dev.sluice.graph;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.KnownKeys;
import dev.sluice.project.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named selections of a project's selectors.yml, as dbt defines them: a definition is a selection string
 * (one criterion), a {method, value} mapping (with parents/children/childrens_parents, their depths,
 * indirect_selection and exclude), a one-key mapping such as {tag: nightly}, or a union / intersection of such
 * parts in which one {exclude: [...]} item takes nodes away. {method: selector, value: NAME} reuses a selector
 * defined above it. One selector may be marked default: true; it is used when a command gets no selection.
 * Every mistake names the file and line.
 */
public final class YamlSelectors {
    public static final String FILE = "selectors.yml";

    /** dbt's selection methods: any other is a mistake in the file. */
    private static final Set<String> METHODS = Set.of("fqn", "tag", "group", "access", "source", "path", "file",
            "package", "config", "test_name", "test_type", "resource_type", "state", "exposure", "metric", "result",
            "source_status", "version", "semantic_model", "saved_query", "unit_test", "unique_id");
    private static final Set<String> SELECTOR_KEYS = Set.of("name", "description", "default", "definition");
    private static final Set<String> CRITERION_KEYS = Set.of("method", "value", "children", "parents",
            "childrens_parents", "children_depth", "parents_depth", "indirect_selection", "exclude");
    /** One criterion as a string, as dbt reads it: @, N+, method:value, +N. */
    private static final Pattern SPEC = Pattern.compile("^(@)?(?:(\\d*)\\+)?(?:([\\w.]+):)?(.*?)(?:\\+(\\d*))?$");

    /**
     * One named selector.
     *
     * @param raw the definition as written (after Jinja), as manifest.json records it
     */
    public record Definition(String name, String description, boolean isDefault, SelectionSpec spec, SourceLocation at,
                             Object raw) {
    }

    /** The selector an invocation uses; byDefault when it was picked because it is default: true. */
    public record Chosen(String name, SelectionSpec spec, boolean byDefault) {
    }

    private final Path file;
    private final Map<String, Definition> definitions;

    private YamlSelectors(Path file, Map<String, Definition> definitions) {
        this.file = file;
        this.definitions = definitions;
    }

    /** Reads projectDir/selectors.yml, in which Jinja is an error; a project without one has no selectors. */
    public static YamlSelectors load(Path projectDir) {
        return load(projectDir, null);
    }

    /**
     * Reads projectDir/selectors.yml, rendering its Jinja as dbt does (default: "{{ target.name == 'prod' }}").
     *
     * @param renderer asked for only when the file holds Jinja, since making one reads the profile; null when
     *                 Jinja is not available
     */
    public static YamlSelectors load(Path projectDir, java.util.function.Supplier<dev.sluice.project.YamlRenderer> renderer) {
        Path file = projectDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return new YamlSelectors(file, Map.of());
        Yaml root = Yaml.load(file, Path.of(FILE));
        if (renderer != null) {
            String text = dev.sluice.project.TextFiles.read(file, Path.of(FILE));
            if (text.contains("{{") || text.contains("{%")) root = root.rendered(path -> true, renderer.get());
        }
        return parse(root, file);
    }

    static YamlSelectors parse(Yaml root, Path file) {
        if (root.isNull()) throw root.error("no selectors in " + FILE + ": it needs a 'selectors:' list");
        checkKeys(root, Set.of("selectors"), "the top level of " + FILE);
        Yaml list = root.get("selectors");
        if (!list.isList()) throw (list.isNull() ? root : list).error("'selectors' must be a list of {name, definition}");
        Map<String, Definition> out = new LinkedHashMap<>();
        Definition defaultOne = null;
        for (Yaml item : list.items("selectors")) {
            if (!item.isMap()) throw item.error("each selector must be a mapping with name and definition");
            checkKeys(item, SELECTOR_KEYS, "a selector");
            String name = item.get("name").isScalar() ? item.get("name").string("name") : null;
            if (name == null) throw item.error("a selector needs a name");
            if (out.containsKey(name)) throw item.get("name").error("selector '" + name + "' is defined twice");
            if (item.get("definition").isNull()) throw item.error("selector '" + name + "' needs a definition");
            boolean isDefault = bool(item.get("default"), "default");
            SelectionSpec spec = definition(item.get("definition"), true, out);
            Definition d = new Definition(name, item.get("description").string("description", ""), isDefault, spec, item.location(),
                    item.get("definition").value());
            if (isDefault && defaultOne != null) {
                throw item.get("default").error("selectors " + defaultOne.name() + " and " + name
                        + " both have default: true; only one selector can be the default");
            }
            if (isDefault) defaultOne = d;
            out.put(name, d);
        }
        return new YamlSelectors(file, out);
    }

    public Map<String, Definition> definitions() {
        return definitions;
    }

    /** The selectors as manifest.json lists them, by name: name, description, default and the definition. */
    public Map<String, Object> manifestEntries() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Definition d : definitions.values()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", d.name());
            j.put("description", d.description());
            j.put("default", d.isDefault());
            j.put("definition", d.raw());
            out.put(d.name(), j);
        }
        return out;
    }

    public Optional<Definition> defaultSelector() {
        return definitions.values().stream().filter(Definition::isDefault).findFirst();
    }

    /** The selector of that name, or an error naming the known ones and the closest. */
    public Definition get(String name) {
        Definition d = definitions.get(name);
        if (d != null) return d;
        if (definitions.isEmpty()) {
            throw new ConfigException("--selector " + name + ": the project has no selectors (no " + FILE + " in "
                    + file.getParent().toAbsolutePath().normalize() + ")");
        }
        throw new ConfigException("--selector: no selector named '" + name + "' in " + FILE
                + KnownKeys.didYouMean(name, definitions.keySet()) + "; selectors: " + String.join(", ", definitions.keySet()));
    }

    private static SelectionSpec definition(Yaml y, boolean rootLevel, Map<String, Definition> earlier) {
        if (y.isScalar()) return criterion(y.string("definition"), y.location());
        if (!y.isMap()) throw y.error("a selector definition must be a string, a mapping or a union / intersection");
        Map<String, Yaml> entries = y.entries("definition");
        boolean union = entries.containsKey("union");
        boolean intersection = entries.containsKey("intersection");
        if (union || intersection) {
            if (entries.size() > 1) {
                throw y.error((rootLevel ? "a root level selector definition" : "a union / intersection part")
                        + " takes a single 'union' or 'intersection' key; found " + String.join(", ", entries.keySet()));
            }
            String key = union ? "union" : "intersection";
            Yaml parts = y.get(key);
            if (!parts.isList()) throw (parts.isNull() ? y : parts).error("'" + key + "' must be a list");
            List<SelectionSpec> include = new ArrayList<>();
            SelectionSpec exclude = null;
            for (Yaml part : parts.items(key)) {
                if (part.isMap() && part.entries(key).containsKey("exclude")) {
                    if (exclude != null) throw part.error("one '" + key + "' takes one 'exclude' item; put every exclusion in it");
                    checkKeys(part, Set.of("exclude"), "an exclude item");
                    exclude = exclusions(part, earlier);
                } else {
                    include.add(definition(part, false, earlier));
                }
            }
            SelectionSpec group = union ? new SelectionSpec.Union(include, y.location()) : new SelectionSpec.Intersection(include, y.location());
            return exclude == null ? group : new SelectionSpec.Difference(group, exclude, y.location());
        }
        if (entries.size() == 1) {
            // {tag: nightly} is {method: tag, value: nightly}.
            Map.Entry<String, Yaml> only = entries.entrySet().iterator().next();
            if (CRITERION_KEYS.contains(only.getKey())) {
                throw y.error("a criterion with '" + only.getKey() + "' needs 'method' and 'value' too"
                        + " (or write it as {METHOD: VALUE}, e.g. {tag: nightly})");
            }
            String method = method(only.getKey(), y.keyLocations().get(only.getKey()));
            return new SelectionSpec.Criterion(method + ":" + scalar(only.getValue(), only.getKey()), false, false, null,
                    false, null, null, y.location());
        }
        if ("selector".equals(y.get("method").string("method", null))) {
            checkKeys(y, Set.of("method", "value"), "a {method: selector} criterion");
            String other = scalar(y.get("value"), "value");
            Definition d = earlier.get(other);
            if (d == null) {
                throw y.get("value").error("selector '" + other + "' is not defined above this one"
                        + KnownKeys.didYouMean(other, earlier.keySet()) + " (a selector can only use those defined before it)");
            }
            return d.spec();
        }
        checkKeys(y, CRITERION_KEYS, "a criterion");
        if (y.get("method").isNull() || y.get("value").isNull()) {
            throw y.error("a criterion needs both 'method' and 'value' (or one key, such as {tag: nightly})");
        }
        String method = method(scalar(y.get("method"), "method"), y.get("method").location());
        String value = scalar(y.get("value"), "value");
        boolean childrensParents = bool(y.get("childrens_parents"), "childrens_parents");
        boolean children = bool(y.get("children"), "children");
        if (childrensParents && children) {
            throw y.error("childrens_parents and children cannot go together (as @ and a trailing + cannot)");
        }
        IndirectSelection mode = null;
        if (!y.get("indirect_selection").isNull()) {
            String m = scalar(y.get("indirect_selection"), "indirect_selection");
            try {
                mode = IndirectSelection.parse(m);
            } catch (ConfigException e) {
                throw y.get("indirect_selection").error("indirect_selection must be eager, buildable, cautious or empty, got '" + m + "'");
            }
        }
        SelectionSpec base = new SelectionSpec.Criterion(method + ":" + value, childrensParents,
                bool(y.get("parents"), "parents"), depth(y.get("parents_depth"), "parents_depth"), children,
                depth(y.get("children_depth"), "children_depth"), mode, y.location());
        if (y.get("exclude").isNull()) return base;
        return new SelectionSpec.Difference(base, exclusions(y, earlier), y.location());
    }

    private static SelectionSpec exclusions(Yaml holder, Map<String, Definition> earlier) {
        Yaml list = holder.get("exclude");
        if (!list.isList()) throw (list.isNull() ? holder : list).error("'exclude' must be a list of definitions");
        List<SelectionSpec> parts = new ArrayList<>();
        for (Yaml part : list.items("exclude")) parts.add(definition(part, false, earlier));
        if (parts.isEmpty()) throw list.error("'exclude' is empty");
        return parts.size() == 1 ? parts.get(0) : new SelectionSpec.Union(parts, list.location());
    }

    /** A string definition: one criterion with graph operators, as `--select` reads a single term. */
    private static SelectionSpec criterion(String raw, SourceLocation at) {
        String text = raw.strip();
        if (text.isEmpty()) throw new ConfigException("a selector definition is empty", at);
        if (text.contains(" ") || text.contains(",")) {
            throw new ConfigException("the definition '" + raw + "' holds several criteria; a string is one criterion:"
                    + " write several as a union (or intersection) list", at);
        }
        Matcher m = SPEC.matcher(text);
        if (!m.matches() || m.group(4).isEmpty()) throw new ConfigException("cannot read the selection '" + raw + "'", at);
        boolean at_ = m.group(1) != null;
        boolean children = m.group(5) != null;
        if (at_ && children) throw new ConfigException("'" + raw + "': the @ prefix and a trailing + cannot go together", at);
        String term = m.group(3) == null ? m.group(4) : method(m.group(3), at) + ":" + m.group(4);
        return new SelectionSpec.Criterion(term, at_, m.group(2) != null, depthOf(m.group(2)), children, depthOf(m.group(5)),
                null, at);
    }

    private static Integer depthOf(String digits) {
        return digits == null || digits.isEmpty() ? null : Integer.valueOf(digits);
    }

    private static String method(String name, SourceLocation at) {
        String head = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (!METHODS.contains(head) || (head.equals("config") && !name.startsWith("config.") )) {
            throw new ConfigException("unknown selection method '" + name + "'"
                    + KnownKeys.didYouMean(head, METHODS) + " (methods: " + String.join(", ", new java.util.TreeSet<>(METHODS)) + ")", at);
        }
        return name;
    }

    private static String scalar(Yaml y, String what) {
        if (!y.isScalar()) throw y.error("'" + what + "' must be a single value");
        return y.string(what);
    }

    private static boolean bool(Yaml y, String what) {
        if (y.isNull()) return false;
        Object v = y.isScalar() ? y.value() : null;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.contains("{{") || s.contains("{%"))) {
            throw y.error("'" + what + "': Jinja is not rendered here; write true or false");
        }
        throw y.error("'" + what + "' must be true or false, got '" + (y.isScalar() ? y.string(what) : "a " + (y.isList() ? "list" : "mapping")) + "'");
    }

    private static Integer depth(Yaml y, String what) {
        if (y.isNull()) return null;
        Object v = y.isScalar() ? y.value() : null;
        if (v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) return l.intValue();
        if (v instanceof String s && s.matches("\\d+")) return Integer.valueOf(s);
        throw y.error("'" + what + "' must be a whole number of generations (0 or more)");
    }

    private static void checkKeys(Yaml y, Set<String> known, String what) {
        for (Map.Entry<String, SourceLocation> k : y.keyLocations().entrySet()) {
            if (!known.contains(k.getKey())) {
                throw new ConfigException("unknown key '" + k.getKey() + "' in " + what + KnownKeys.didYouMean(k.getKey(), known)
                        + "; known: " + String.join(", ", new java.util.TreeSet<>(known)), k.getValue());
            }
        }
    }
}
