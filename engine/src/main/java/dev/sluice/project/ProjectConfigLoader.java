package dev.sluice.project;

import dev.sluice.error.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads project.yml, or dbt_project.yml so that dbt projects run unmodified. */
public final class ProjectConfigLoader {
    public static final List<String> FILE_NAMES = List.of("project.yml", "dbt_project.yml");

    public ProjectConfig load(Path projectDir) {
        Path root = projectDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new ConfigException("project directory does not exist: " + root);
        }
        Path file = FILE_NAMES.stream().map(root::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new ConfigException("no project.yml or dbt_project.yml in " + root
                        + " (use --project-dir to point at the project)"));
        Yaml y = Yaml.load(file);
        if (!y.isMap()) throw y.error("the project file must be a mapping of settings");
        String name = y.get("name").string("name");
        if (name == null || name.isBlank()) throw y.error("the project file needs a 'name'");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw y.get("name").error("project name '" + name + "' must be letters, digits and underscores");
        }
        String profile = y.get("profile").string("profile", name);

        Map<String, Map<String, Object>> nodeConfigs = new LinkedHashMap<>();
        for (String type : List.of("models", "seeds", "tests", "data_tests", "snapshots", "sources", "operators", "unit_tests")) {
            Yaml section = y.get(type);
            if (section.isNull()) continue;
            if (!section.isMap()) throw section.error("'" + type + "' must be a mapping of folder configs");
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) section.value();
            nodeConfigs.merge(type.equals("data_tests") ? "tests" : type, tree, (a, b) -> {
                Map<String, Object> m = new LinkedHashMap<>(a);
                m.putAll(b);
                return m;
            });
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = y.get("vars").isNull() ? Map.of() : (Map<String, Object>) requireMap(y.get("vars"), "vars").value();

        return new ProjectConfig(root, file, name, profile,
                paths(y, "model-paths", "source-paths", "models"),
                paths(y, "seed-paths", "data-paths", "seeds"),
                paths(y, "test-paths", null, "tests"),
                paths(y, "macro-paths", null, "macros"),
                paths(y, "snapshot-paths", null, "snapshots"),
                paths(y, "docs-paths", null, null),
                y.get("target-path").string("target-path", "target"),
                strings(y.get("clean-targets"), "clean-targets", List.of("target")),
                vars, nodeConfigs,
                hooks(y.get("on-run-start")), hooks(y.get("on-run-end")),
                y.get("packages-install-path").string("packages-install-path", "dbt_packages"),
                dispatch(y.get("dispatch")), versionRanges(y.get("require-dbt-version")));
    }

    /** dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}] */
    private static Map<String, List<String>> dispatch(Yaml v) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Yaml item : v.items("dispatch")) {
            if (!item.isMap()) throw item.error("each dispatch entry must be a mapping with macro_namespace and search_order");
            String ns = item.get("macro_namespace").string("macro_namespace");
            if (ns == null) throw item.error("a dispatch entry needs a macro_namespace");
            List<String> order = strings(item.get("search_order"), "search_order", List.of());
            if (order.isEmpty()) throw item.error("dispatch of '" + ns + "' needs a search_order list of packages");
            if (out.put(ns, order) != null) throw item.error("macro_namespace '" + ns + "' is dispatched twice");
        }
        return Map.copyOf(out);
    }

    /** require-dbt-version: a string (">=1.3.0,<2.0.0") or a list of them, as comparators. */
    private static List<String> versionRanges(Yaml v) {
        List<String> out = new ArrayList<>();
        for (String s : strings(v, "require-dbt-version", List.of())) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) out.add(part.strip());
            }
        }
        return List.copyOf(out);
    }

    private static Yaml requireMap(Yaml y, String what) {
        if (!y.isMap()) throw y.error("'" + what + "' must be a mapping");
        return y;
    }

    private static List<String> paths(Yaml y, String key, String legacyKey, String fallback) {
        Yaml v = y.get(key);
        if (v.isNull() && legacyKey != null) v = y.get(legacyKey);
        List<String> out = strings(v, key, fallback == null ? List.of() : List.of(fallback));
        for (String p : out) {
            if (Path.of(p).isAbsolute() || p.contains("..")) {
                throw v.error("'" + key + "' entries must be folders inside the project, got '" + p + "'");
            }
        }
        return out;
    }

    static List<String> strings(Yaml v, String what, List<String> fallback) {
        if (v.isNull()) return fallback;
        if (v.isScalar()) return List.of(v.string(what));
        List<String> out = new ArrayList<>();
        for (Yaml item : v.items(what)) out.add(item.string(what));
        return List.copyOf(out);
    }

    private static List<String> hooks(Yaml v) {
        return strings(v, "hooks", List.of());
    }
}
