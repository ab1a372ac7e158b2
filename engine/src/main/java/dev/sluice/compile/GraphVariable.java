package dev.sluice.compile;

import dev.sluice.adapter.Relation;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Configs;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Project;
import dev.sluice.project.SourceTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * dbt's {@code graph} context variable: {@code graph.nodes} and {@code graph.sources} keyed by unique id, each
 * with the keys dbt's manifest gives them (name, resource_type, package_name, path, fqn, config, tags,
 * depends_on, database, schema, alias, columns, ...), read only.
 */
final class GraphVariable {
    private GraphVariable() {
    }

    static Map<String, Object> of(Project project, List<Node> nodes, Function<String, Map<String, Object>> configOf,
                                  Function<String, List<String>> dependsOnOf, Map<String, Relation> relations,
                                  Map<String, SourceTable> sources) {
        Map<String, Object> nodeMap = new LinkedHashMap<>();
        Map<String, Object> exposureMap = new LinkedHashMap<>();
        for (Node n : nodes) {
            // As dbt's flat graph: unit tests are not nodes there, exposures have their own section.
            if (n.type() == NodeType.SOURCE || n.type() == NodeType.UNIT_TEST) continue;
            if (n.type() == NodeType.EXPOSURE) {
                exposureMap.put(n.uniqueId(), exposure(n, dependsOnOf.apply(n.uniqueId())));
                continue;
            }
            Map<String, Object> config = configOf.apply(n.uniqueId());
            Relation r = relations.get(n.uniqueId());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", n.uniqueId());
            j.put("name", n.name());
            j.put("resource_type", n.type().label());
            j.put("package_name", n.packageName());
            j.put("path", n.file().toString());
            j.put("original_file_path", n.file().toString());
            j.put("fqn", n.fqn());
            j.put("database", r == null ? null : r.database());
            j.put("schema", r == null ? null : r.schema());
            j.put("alias", r == null ? n.name() : r.identifier());
            j.put("identifier", r == null ? n.name() : r.identifier());
            j.put("relation_name", null);
            j.put("config", Collections.unmodifiableMap(new LinkedHashMap<>(config)));
            j.put("tags", Configs.strings(config.get("tags")));
            j.put("meta", config.getOrDefault("meta", Map.of()));
            j.put("description", n.description() == null ? "" : n.description());
            j.put("columns", columns(n.columns()));
            List<String> deps = dependsOnOf.apply(n.uniqueId());
            j.put("depends_on", Map.of("nodes", List.copyOf(deps), "macros", List.of()));
            j.put("refs", refs(deps));
            j.put("sources", sources(deps));
            j.put("raw_code", n.rawCode());
            j.put("language", "sql");
            if (n.test() != null) {
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("name", n.test().testName());
                meta.put("kwargs", n.test().args() == null ? Map.of() : n.test().args());
                meta.put("namespace", null);
                j.put("test_metadata", meta);
                j.put("column_name", n.test().columnName());
                j.put("attached_node", n.testedId());
            }
            nodeMap.put(n.uniqueId(), Collections.unmodifiableMap(j));
        }
        Map<String, Object> sourceMap = new LinkedHashMap<>();
        sources.forEach((id, s) -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", id);
            j.put("name", s.name());
            j.put("source_name", s.sourceName());
            j.put("resource_type", "source");
            j.put("package_name", s.packageName() == null ? project.name() : s.packageName());
            j.put("database", s.database());
            j.put("schema", s.schema());
            j.put("identifier", s.identifier());
            j.put("description", s.description() == null ? "" : s.description());
            j.put("columns", columns(s.columns()));
            j.put("meta", s.meta() == null ? Map.of() : s.meta());
            j.put("fqn", List.of(project.name(), s.sourceName(), s.name()));
            j.put("config", Map.of("enabled", true));
            j.put("tags", List.of());
            sourceMap.put(id, Collections.unmodifiableMap(j));
        });
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("nodes", Collections.unmodifiableMap(nodeMap));
        g.put("sources", Collections.unmodifiableMap(sourceMap));
        g.put("exposures", Collections.unmodifiableMap(exposureMap));
        g.put("metrics", Map.of());
        g.put("groups", Map.of());
        g.put("semantic_models", Map.of());
        g.put("saved_queries", Map.of());
        return Collections.unmodifiableMap(g);
    }

    /** dbt's refs of a node: name, package and version of each model, seed or snapshot it reads. */
    static List<Object> refs(List<String> deps) {
        List<Object> refs = new ArrayList<>();
        for (String d : deps) {
            if (d.startsWith("source.")) continue;
            String[] parts = d.split("\\.");
            Map<String, Object> r = new LinkedHashMap<>();
            boolean versioned = parts.length > 3 && parts[parts.length - 1].matches("v\\d+.*");
            r.put("name", parts[versioned ? parts.length - 2 : parts.length - 1]);
            r.put("package", parts.length > 1 ? parts[1] : null);
            r.put("version", versioned ? parts[parts.length - 1].substring(1) : null);
            refs.add(Collections.unmodifiableMap(r));
        }
        return Collections.unmodifiableList(refs);
    }

    /** dbt's sources of a node: [source name, table name] of each source it reads. */
    static List<Object> sources(List<String> deps) {
        List<Object> out = new ArrayList<>();
        for (String d : deps) {
            if (!d.startsWith("source.")) continue;
            String[] parts = d.split("\\.");
            out.add(List.of(parts[2], parts[parts.length - 1]));
        }
        return Collections.unmodifiableList(out);
    }

    /** An exposure as dbt's graph has it: its properties and what it depends on. */
    private static Map<String, Object> exposure(Node n, List<String> deps) {
        dev.sluice.project.ExposureSpec e = (dev.sluice.project.ExposureSpec) n.config().get(dev.sluice.project.ProjectLoader.EXPOSURE);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("unique_id", n.uniqueId());
        j.put("name", n.name());
        j.put("resource_type", "exposure");
        j.put("package_name", n.packageName());
        j.put("path", n.file().toString());
        j.put("original_file_path", n.file().toString());
        j.put("fqn", n.fqn());
        j.put("type", e == null ? null : e.type());
        j.put("owner", e == null ? Map.of() : e.owner());
        j.put("description", n.description() == null ? "" : n.description());
        j.put("label", e == null ? null : e.label());
        j.put("maturity", e == null ? null : e.maturity());
        j.put("url", e == null ? null : e.url());
        j.put("meta", e == null || e.meta() == null ? Map.of() : e.meta());
        j.put("tags", Configs.strings(n.config().get("tags")));
        j.put("config", Map.of("enabled", true));
        j.put("depends_on", Map.of("nodes", List.copyOf(deps), "macros", List.of()));
        j.put("refs", refs(deps));
        j.put("sources", sources(deps));
        j.put("metrics", List.of());
        return Collections.unmodifiableMap(j);
    }

    static Map<String, Object> columns(List<ColumnSpec> cols) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (cols == null) return out;
        for (ColumnSpec c : cols) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", c.name());
            j.put("description", c.description() == null ? "" : c.description());
            j.put("data_type", c.dataType());
            j.put("meta", c.meta() == null ? Map.of() : c.meta());
            out.put(c.name(), j);
        }
        return out;
    }
}
